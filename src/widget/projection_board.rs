//! The projection board: one bank's log (two accounts) feeding four read models side by side, each a
//! fold of its own, and a rebuild from scratch that proves they are only derived.

use foldlab_core::bank::Bank;
use foldlab_core::calendar::Timestamp;
use foldlab_core::projection::{Balances, LargeWithdrawals, MonthlyStatement, Projector, TypeCounts};
use foldlab_core::{AccountId, Cents, Command, Event, RecordedEvent};
use leptos::prelude::*;

use crate::storage::Place;

const A: AccountId = AccountId::constant("A");
const B: AccountId = AccountId::constant("B");
/// A day in milliseconds: each event is stamped one simulated day after the last.
const DAY_MS: i64 = 86_400_000;

/// The bank and the four projections, all fed from the bank's one store.
struct Board {
    bank: Bank<Place>,
    /// The widget's own calendar: one day per event, so the statement spans months.
    clock: Timestamp,
    balances: Projector<Balances>,
    statement: Projector<MonthlyStatement>,
    large: Projector<LargeWithdrawals>,
    counts: Projector<TypeCounts>,
}

impl Board {
    fn new() -> Result<Board, String> {
        let bank = Bank::open(Place::memory()).map_err(|e| e.to_string())?;
        let start = Timestamp::from_date(2026, 1, 25).unwrap_or(Timestamp(0));
        let mut board = Board {
            bank,
            clock: start,
            balances: Projector::default(),
            statement: Projector::default(),
            large: Projector::default(),
            counts: Projector::default(),
        };
        for (account, command) in [
            (A, Command::OpenAccount { owner: None }),
            (A, Command::DepositMoney { amount: Cents(250_000) }),
            (B, Command::OpenAccount { owner: None }),
            (B, Command::DepositMoney { amount: Cents(400_000) }),
        ] {
            board.run(&account, command)?;
        }
        Ok(board)
    }

    /// Runs a command (and the transfer process after it), then feeds every projection.
    fn run(&mut self, account: &AccountId, command: Command) -> Result<Vec<RecordedEvent>, String> {
        self.clock = Timestamp(self.clock.millis() + DAY_MS);
        let mut appended = self.bank.execute(account, command, self.clock).map_err(|e| e.to_string())?;
        for reaction in self.bank.settle(self.clock).map_err(|e| e.to_string())? {
            appended.extend(reaction.events);
        }
        self.catch_up()?;
        Ok(appended)
    }

    fn catch_up(&mut self) -> Result<(), String> {
        let store = self.bank.store();
        let err = |e: foldlab_core::projection::ProjectionError| e.to_string();
        self.balances.catch_up(store).map_err(err)?;
        self.statement.catch_up(store).map_err(err)?;
        self.large.catch_up(store).map_err(err)?;
        self.counts.catch_up(store).map_err(err)?;
        Ok(())
    }

    /// Rebuilds all four from the first event and says whether each came out the same.
    fn rebuild(&self) -> Result<[bool; 4], String> {
        let store = self.bank.store();
        let err = |e: foldlab_core::projection::ProjectionError| e.to_string();
        Ok([
            Projector::<Balances>::rebuild(store).map_err(err)? == self.balances,
            Projector::<MonthlyStatement>::rebuild(store).map_err(err)? == self.statement,
            Projector::<LargeWithdrawals>::rebuild(store).map_err(err)? == self.large,
            Projector::<TypeCounts>::rebuild(store).map_err(err)? == self.counts,
        ])
    }
}

/// The actions the learner can take: a label, the account, and what to ask of it.
#[derive(Clone, Copy)]
enum Ask {
    Deposit(i64),
    Withdraw(i64),
    TransferTo(AccountId, i64),
}

const ACTIONS: [(&str, AccountId, Ask); 5] = [
    ("Deposit €120 into A", A, Ask::Deposit(12_000)),
    ("Withdraw €45 from A", A, Ask::Withdraw(4_500)),
    ("Withdraw €1,500 from B", B, Ask::Withdraw(150_000)),
    ("Deposit €2,000 into B", B, Ask::Deposit(200_000)),
    ("Transfer €30 from A to B", A, Ask::TransferTo(B, 3_000)),
];

impl Ask {
    fn command(self, board: &Board, account: AccountId) -> Command {
        match self {
            Ask::Deposit(cents) => Command::DepositMoney { amount: Cents(cents) },
            Ask::Withdraw(cents) => Command::WithdrawMoney { amount: Cents(cents) },
            // Each transfer needs an id of its own; the bank hands out the next free one.
            Ask::TransferTo(to, cents) => Command::TransferMoney {
                transfer: board.bank.next_transfer_id(),
                from: account,
                to,
                amount: Cents(cents),
            },
        }
    }
}

/// The widget.
#[component]
pub fn ProjectionBoard() -> impl IntoView {
    let board = RwSignal::new_local(Board::new());
    let note = RwSignal::new(String::from("Add events with the buttons; all four read models follow."));
    // How each read model compared with its rebuild from scratch, shown until the next event.
    let last_rebuild = RwSignal::new(None::<[bool; 4]>);

    let act = move |index: usize| {
        last_rebuild.set(None);
        board.update(|board| {
            let Ok(board) = board else { return };
            let Some((label, account, ask)) = ACTIONS.get(index).cloned() else { return };
            let command = ask.command(board, account);
            note.set(match board.run(&account, command) {
                Ok(events) => {
                    let names: Vec<_> = events.iter().map(|e| e.event_type.clone()).collect();
                    format!("{label}: appended {}. Every read model caught up.", names.join(" and "))
                }
                Err(reason) => format!("{label}: refused. {reason} Nothing was appended."),
            });
        })
    };
    let rebuild = move |_| {
        board.with(|board| {
            let Ok(board) = board else { return };
            let rebuilt = board.rebuild();
            last_rebuild.set(rebuilt.as_ref().ok().copied());
            note.set(match rebuilt {
                Ok(same) if same.iter().all(|s| *s) => format!(
                    "Threw all four read models away and replayed {} events into fresh ones: they came out identical.",
                    board.bank.store().head()
                ),
                Ok(_) => "A rebuilt read model differs from the live one: that would be a bug in a projection.".into(),
                Err(reason) => format!("Could not rebuild: {reason}"),
            });
        })
    };

    let rebuilt = move |i: usize| last_rebuild.get().map(|same: [bool; 4]| same[i]);

    view! {
        <section class="card widget projection-board" aria-labelledby="projection-board-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="projection-board-title">"One log, four read models"</h3>
            <p class="widget-intro">"Each event is stamped one day after the one before, so the statement spans months."</p>
            <div class="row" role="group" aria-label="Add an event">
                {ACTIONS.iter().enumerate().map(|(i, (label, _, _))| view! {
                    <button type="button" class="button" on:click=move |_| act(i)>{*label}</button>
                }).collect_view()}
                <button type="button" class="button" on:click=rebuild>"Rebuild from scratch"</button>
            </div>
            <p class="live-note" role="status">{super::aloud(note.into())}</p>
            {move || board.with(|board| match board {
                Err(reason) => view! { <p class="inline-error">{format!("The board could not start: {reason}")}</p> }.into_any(),
                Ok(board) => view! {
                    <div class="board-body">
                        <h4 class="board-heading">{board_heading(board)}</h4>
                        <ol class="stream board-stream" aria-label="Events in global order">
                            {recent(board).into_iter().map(|(position, account, day, event)| view! {
                                <li class="chip chip-event">
                                    <span class="chip-kind">{format!("event #{position} · account {account} · {day}")}</span>
                                    <span class="chip-name">{event.type_name()}</span>
                                    <span>{event.describe()}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                        <div class="board-grid">
                            {panel("Balances", rebuilt(0), balances_view(&board.balances))}
                            {panel("Monthly statement", rebuilt(1), statement_view(&board.statement))}
                            {panel("Large withdrawal flags", rebuilt(2), large_view(&board.large))}
                            {panel("Events by type", rebuilt(3), counts_view(&board.counts))}
                        </div>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

/// Events the board lists: the newest, so the read models beside them stay in sight.
const LISTED: usize = 8;

/// "The log (newest last)", or, once it is longer than the list, how much of it is listed.
fn board_heading(board: &Board) -> String {
    let all = board.bank.store().head() as usize;
    if all > LISTED {
        format!("The log: the newest {LISTED} of its {all} events (newest last)")
    } else {
        "The log (newest last)".to_owned()
    }
}

/// The last few events, decoded for display, each with its position, its account and its day
/// (which says the month of the statement it counts in).
fn recent(board: &Board) -> Vec<(u64, String, String, Event)> {
    let all = board.bank.store().read_all(1);
    all[all.len().saturating_sub(LISTED)..]
        .iter()
        .filter_map(|r| {
            let account = AccountId::from_stream(&r.stream)?;
            Some((r.position, account.as_str().to_string(), r.recorded_at.day_month(), Event::from_recorded(r).ok()?))
        })
        .collect()
}

/// One read model's panel; after a rebuild from scratch, until the next event, it says how the
/// rebuilt one compared (a rebuild that comes out the same otherwise changes nothing to see).
fn panel(title: &'static str, rebuilt: Option<bool>, body: AnyView) -> AnyView {
    view! {
        <section class="board-panel" aria-label=title>
            <p class="chip-kind model-kind">"read model"</p>
            <h4>{title}</h4>
            {body}
            {rebuilt.map(|same| view! {
                <p class="board-rebuilt" class:differs=!same>
                    {if same { "✓ Rebuilt: the same" } else { "✗ Rebuilt: different" }}
                </p>
            })}
        </section>
    }
    .into_any()
}

fn balances_view(balances: &Balances) -> AnyView {
    let rows = balances
        .accounts()
        .map(|(id, line)| view! { <tr><th scope="row">{format!("Account {}", id.as_str())}</th><td class="money">{line.balance.to_string()}</td></tr> })
        .collect_view();
    let in_flight = foldlab_core::Balance::from_cents(balances.in_flight()).to_string();
    let total = foldlab_core::Balance::from_cents(balances.total()).to_string();
    view! {
        <table class="board-table">
            <tbody>{rows}
                <tr><th scope="row">"In flight"</th><td class="money">{in_flight}</td></tr>
                <tr class="total"><th scope="row">"Money in the bank"</th><td class="money">{total}</td></tr>
            </tbody>
        </table>
        <p class="board-sub">"In flight: sent by one account and not yet received by the other (lesson 5 explains the gap)."</p>
    }.into_any()
}

fn statement_view(statement: &MonthlyStatement) -> AnyView {
    let months = statement.months(&A);
    let body = match months.last().and_then(|month| Some((month, statement.statement(&A, *month)?))) {
        None => view! { <p>"No statement yet."</p> }.into_any(),
        Some((month, s)) => view! {
            <p class="board-sub">{format!("Account A, {} ({} so far)", month.long(), crate::plural::count(months.len(), "month"))}</p>
            <table class="board-table">
                <tbody>
                    <tr><th scope="row">"Opening"</th><td class="money">{s.opening.to_string()}</td></tr>
                    <tr><th scope="row">"Money in"</th><td class="money">{foldlab_core::Balance::from_cents(s.money_in as i64).to_string()}</td></tr>
                    <tr><th scope="row">"Money out"</th><td class="money">{foldlab_core::Balance::from_cents(s.money_out as i64).to_string()}</td></tr>
                    <tr class="total"><th scope="row">"Closing"</th><td class="money">{s.closing.to_string()}</td></tr>
                </tbody>
            </table>
            <p class="board-sub">{format!("{} this month", crate::plural::count(s.lines.len(), "line"))}</p>
        }.into_any(),
    };
    body
}

fn large_view(large: &LargeWithdrawals) -> AnyView {
    let threshold = large.threshold().to_string();
    let flags = large.flags();
    let body = if flags.is_empty() {
        view! { <p>{format!("No withdrawal or transfer out of {threshold} or more yet.")}</p> }.into_any()
    } else {
        view! {
            <p class="board-sub">{format!("{threshold} or more:")}</p>
            <ul class="board-list">
                {flags.iter().map(|f| view! {
                    <li class="chip chip-reject">
                        <span class="chip-kind">"flag"</span>
                        <span>{format!("#{} account {}: {} ({})", f.position, f.account.as_str(), f.amount, f.event_type)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    body
}

fn counts_view(counts: &TypeCounts) -> AnyView {
    let rows = counts
        .counts()
        .map(|(name, n)| view! { <tr><th scope="row"><code>{name}</code></th><td class="money">{n}</td></tr> })
        .collect_view();
    view! {
        <table class="board-table"><tbody>{rows}
            <tr class="total"><th scope="row">"All events"</th><td class="money">{counts.total()}</td></tr>
        </tbody></table>
    }.into_any()
}
