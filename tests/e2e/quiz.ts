// A learner's way through one quiz question: a wrong answer, its explanation, then the right one.
import { expect, type Page } from "@playwright/test";

export async function wrongThenRight(
  page: Page,
  lesson: string,
  prompt: RegExp,
  wrong: { name: string | RegExp; explains: string },
  right: string | RegExp,
) {
  await page.goto(`/lessons/${lesson}`);
  const question = page.getByRole("group", { name: prompt });
  const radio = (name: string | RegExp) =>
    question.getByRole("radio", typeof name === "string" ? { name, exact: true } : { name });
  await radio(wrong.name).check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByRole("status")).toContainText("Not quite");
  await expect(question).toContainText(wrong.explains);
  // A screen reader on the radio hears the verdict and why, not just the option.
  const escaped = wrong.explains.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await expect(radio(wrong.name)).toHaveAccessibleDescription(new RegExp(`Your answer.*${escaped}`));
  // Only the tried option is explained: the right one is left to find.
  await expect(question).not.toContainText("The right answer");
  await radio(right).check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByRole("status")).toHaveText("Right.");
  // The score counts the first try, not the answer shown after it.
  await expect(page.getByText(/^Score:/)).toContainText(/Score: 0 of \d+ right at the first try/);
  // Answered right, the question is settled: no other option can be checked in its place.
  await expect(radio(wrong.name)).toBeDisabled();
  await expect(radio(right)).toBeChecked();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(question.getByRole("status")).toHaveText("Already answered right: every option's explanation is shown above.");
  await page.reload();
  await expect(question.getByRole("status")).toHaveText("Right.");
  await expect(radio(wrong.name)).toBeDisabled();
}
