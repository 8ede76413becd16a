//! One command as a small form: its name in the command colour, an optional amount field that
//! refuses text that is not an amount, any other fields it needs, and the button that sends it.
//! The command console and the sandbox bank both use it, so Enter in a field sends that command.

use foldlab_core::Cents;
use leptos::prelude::*;

/// One command's form.
#[component]
pub fn CommandForm(
    /// What the ids of the form's elements start with (`command-console`), unique on the page.
    scope: &'static str,
    /// `DepositMoney`.
    name: &'static str,
    /// The button's text.
    button: &'static str,
    /// The amount field's label, for commands that carry an amount.
    #[prop(optional)]
    amount_label: Option<&'static str>,
    /// The amount field's starting text.
    #[prop(optional)]
    initial: &'static str,
    /// Sends the command with the amount typed (if any).
    send: Callback<Option<Cents>>,
    /// Told why the typed text was not sent, for the owner's status line.
    refuse: Callback<String>,
    /// The fields the command needs besides an amount (a transfer's destination).
    #[prop(optional)]
    children: Option<Children>,
    /// Changed by the owner to start the form over: the starting amount back, no message.
    #[prop(optional, into)]
    restart: Option<Signal<u32>>,
) -> impl IntoView {
    let text = RwSignal::new(initial.to_owned());
    let error = RwSignal::new(None::<String>);
    if let Some(restart) = restart {
        Effect::new(move |first: Option<()>| {
            restart.track();
            if first.is_some() {
                text.set(initial.to_owned());
                error.set(None);
            }
        });
    }
    let id = format!("{scope}-{}", name.to_ascii_lowercase());
    let error_id = format!("{id}-error");
    let submit = move || {
        if amount_label.is_none() {
            send.run(None);
            return;
        }
        // Only text that is not an amount at all stops here: zero, negative and too large amounts go
        // to the decider, which is where those rules live.
        match Cents::parse_euros(&text.get_untracked()).map_err(|e| e.to_string()) {
            Ok(cents) => {
                error.set(None);
                send.run(Some(cents));
            }
            Err(reason) => {
                // The reason is a sentence of its own under the field; after a colon it goes on one.
                let mut said = reason.clone();
                if let Some(first) = said.get_mut(..1) {
                    first.make_ascii_lowercase();
                }
                refuse.run(format!("{name} was not sent: {said}"));
                error.set(Some(reason));
            }
        }
    };
    let bare = amount_label.is_none() && children.is_none();
    let amount = amount_label.map(|label| {
        let error_id = error_id.clone();
        view! {
            <label class="field">
                {label}
                <input type="text" inputmode="decimal" autocomplete="off" id=format!("{id}-amount")
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=error_id
                    prop:value=move || text.get()
                    on:input=move |ev| { text.set(event_target_value(&ev)); error.set(None); }
                />
            </label>
        }
    });
    let fields = (!bare).then(|| view! { <div class="console-fields">{amount}{children.map(|more| more())}</div> });
    view! {
        // Unnamed, so not a landmark: a console of five commands would add five to the page's list.
        <form class="console-command" class:bare=bare on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <span class="console-command-name"><span class="chip-kind">"command"</span><span class="chip-name">{name}</span></span>
            {fields}
            <button type="submit" class="button">{button}</button>
            <p class="inline-error" id=error_id hidden=move || error.get().is_none()>{move || error.get()}</p>
        </form>
    }
}
