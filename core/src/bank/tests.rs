//! Specifications of the bank: commands on account streams, the transfer process, conservation of
//! money across racing writers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use proptest::prelude::*;

use super::*;
use crate::money::Cents;
use crate::snapshot::{SkipReason, SnapshotPolicy, Snapshots};
use crate::fixture::{Browser, Tab};
use crate::segments::SegmentedBackend;
use crate::store::{MemoryBackend, NewEvent, WriteError};

const ALICE: AccountId = AccountId::constant("alice");
const BOB: AccountId = AccountId::constant("bob");
const CAROL: AccountId = AccountId::constant("carol");
const AT: Timestamp = Timestamp(1_714_566_600_000);

fn bank_on(backend: &MemoryBackend, origin: &str) -> Bank<MemoryBackend> {
    Bank::open(backend.clone())
        .and_then(|bank| bank.with_origin(origin).map_err(BankError::InvalidId))
        .unwrap_or_else(|error| panic!("a memory bank opens: {error}"))
}

fn transfer(id: &str) -> TransferId {
    TransferId::new(id).expect("fixture ids are valid")
}

fn transfer_command(from: AccountId, to: AccountId, id: &str, cents: i64) -> Command {
    Command::TransferMoney { transfer: transfer(id), from, to, amount: Cents(cents) }
}

#[track_caller]
fn run(bank: &mut Bank<impl Backend>, account: AccountId, command: Command) -> Vec<RecordedEvent> {
    bank.execute(&account, command, AT).unwrap_or_else(|error| panic!("{account}: {error}"))
}

/// A bank where alice holds €100.00 and bob's account is open and empty.
fn alice_and_bob(backend: &MemoryBackend) -> Bank<MemoryBackend> {
    let mut bank = bank_on(backend, "tab1");
    run(&mut bank, ALICE, Command::OpenAccount { owner: Some("Alice".to_owned()) });
    run(&mut bank, ALICE, Command::DepositMoney { amount: Cents(10_000) });
    run(&mut bank, BOB, Command::OpenAccount { owner: None });
    bank
}

fn balance(bank: &Bank<impl Backend>, account: AccountId) -> i64 {
    bank.account(&account).balance().cents()
}

#[test]
fn commands_append_to_the_account_stream_with_ids_from_the_origin() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    let stored = run(&mut bank, ALICE, Command::WithdrawMoney { amount: Cents(2500) });
    let envelope: Vec<_> = stored.iter().map(|e| (e.id.to_string(), e.stream.to_string(), e.version, e.recorded_at)).collect();
    assert_eq!(envelope, [("tab1/alice/3".to_owned(), "account-alice".to_owned(), 3, AT)]);
    assert_eq!(balance(&bank, ALICE), 7500);
    assert_eq!(bank.history(&ALICE).map(|h| h.len()), Ok(3));
}

#[test]
fn a_refused_command_appends_nothing() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    let head = bank.store().head();
    let refused = bank.execute(&BOB, Command::WithdrawMoney { amount: Cents(1) }, AT);
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("Insufficient funds: the balance is €0.00, less than the €0.01 asked for.".to_owned())
    );
    assert_eq!(bank.store().head(), head);
}

#[test]
fn people_cannot_send_process_commands() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    let credit = Command::CreditTransfer { transfer: transfer("T9"), from: ALICE, amount: Money::MAX };
    assert_eq!(bank.execute(&BOB, credit, AT), Err(BankError::ProcessOnly));
}

#[test]
fn a_transfer_is_sent_to_its_source() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    let sent = bank.execute(&BOB, transfer_command(ALICE, BOB, "T1", 100), AT);
    assert_eq!(sent, Err(BankError::WrongAccount { stream: BOB, from: ALICE }));
}

#[test]
fn a_transfer_id_is_used_once_per_source() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    assert_eq!(bank.next_transfer_id(), transfer("T1"));
    run(&mut bank, ALICE, transfer_command(ALICE, BOB, "T1", 100));
    assert_eq!(bank.next_transfer_id(), transfer("T2"));
    let again = bank.execute(&ALICE, transfer_command(ALICE, BOB, "T1", 100), AT);
    assert_eq!(again, Err(BankError::DuplicateTransfer { from: ALICE, transfer: transfer("T1") }));
}

#[test]
fn the_next_transfer_id_is_new_to_every_account() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    run(&mut bank, ALICE, transfer_command(ALICE, BOB, "T1", 100));
    // Bob could use T1 (ids are unique per source), but a reader of the log would take his
    // transfer back for Alice's.
    assert_eq!(bank.next_transfer_id(), transfer("T2"));
    bank.settle(AT).expect("the process credits bob");
    run(&mut bank, BOB, transfer_command(BOB, ALICE, "T2", 50));
    assert_eq!(bank.next_transfer_id(), transfer("T3"));
}

#[test]
fn a_transfer_leaves_money_in_flight_until_the_process_credits_it() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    run(&mut bank, ALICE, transfer_command(ALICE, BOB, "T1", 3000));
    assert_eq!((balance(&bank, ALICE), balance(&bank, BOB), bank.total_money()), (7000, 0, 10_000));
    assert_eq!(bank.pending_transfers().map(|p| p.transfer.to_string()).collect::<Vec<_>>(), ["T1"]);
    let reactions = bank.settle(AT).unwrap_or_default();
    assert_eq!(reactions.len(), 1);
    assert_eq!(reactions[0].outcome, Outcome::Credited);
    let credited = &reactions[0].events[0];
    assert_eq!((credited.id.as_str(), credited.stream.as_str()), ("tab1/alice/3/in", "account-bob"));
    assert_eq!((balance(&bank, ALICE), balance(&bank, BOB), bank.total_money()), (7000, 3000, 10_000));
    assert_eq!(bank.pending_transfers().count(), 0);
    assert_eq!(bank.react_next(AT), Ok(None));
}

#[test]
fn a_transfer_to_a_closed_account_is_refunded() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    run(&mut bank, BOB, Command::CloseAccount);
    run(&mut bank, ALICE, transfer_command(ALICE, BOB, "T1", 3000));
    let reaction = bank.react_next(AT).ok().flatten().map(|r| (r.outcome, r.events[0].stream.to_string()));
    assert_eq!(reaction, Some((Outcome::Refunded(RefundReason::DestinationClosed), "account-alice".to_owned())));
    assert_eq!((balance(&bank, ALICE), balance(&bank, BOB)), (10_000, 0));
}

#[test]
fn a_transfer_to_an_account_never_opened_is_refunded() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    run(&mut bank, ALICE, transfer_command(ALICE, CAROL, "T1", 3000));
    let outcomes: Vec<_> = bank.settle(AT).unwrap_or_default().into_iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Refunded(RefundReason::DestinationNotOpen)]);
    assert_eq!(balance(&bank, ALICE), 10_000);
    assert_eq!(bank.account(&CAROL), Account::default());
}

/// Appends `events` to `account`'s stream straight through the store, as an imported or
/// hand-edited log holds them, whatever the decider would say.
fn write_raw(backend: &MemoryBackend, account: AccountId, events: &[(&str, &str, serde_json::Value)]) {
    let mut store = EventStore::open(backend.clone()).expect("opens");
    let events = events
        .iter()
        .map(|(id, event_type, data)| NewEvent {
            id: EventId::new(id).expect("fixture ids are valid"),
            event_type: (*event_type).to_owned(),
            schema: 1,
            data: data.clone(),
        })
        .collect();
    store.append(&account.stream(), ExpectedVersion::Any, events, AT).expect("appends");
}

#[test]
fn two_transfers_out_under_one_id_in_an_imported_log_are_both_settled_and_settling_ends() {
    let backend = MemoryBackend::default();
    alice_and_bob(&backend);
    let out = |cents: i64| serde_json::json!({ "transfer": "T1", "to": "bob", "amount": cents });
    write_raw(&backend, ALICE, &[("import/1", "money-transferred-out", out(1000)), ("import/2", "money-transferred-out", out(2000))]);
    let mut bank = bank_on(&backend, "tab2");
    assert_eq!(bank.total_money(), 10_000, "given: €30 in flight under one id");

    let reactions = bank.settle(AT).expect("settles");

    assert_eq!(reactions.len(), 2, "each transfer out is credited once: {reactions:?}");
    assert_eq!(balance(&bank, BOB), 3000);
    assert_eq!(balance(&bank, ALICE), 7000);
    assert_eq!(bank.pending_transfers().count(), 0);
    assert_eq!(bank.settle(AT).expect("settles again"), Vec::new(), "nothing is left to settle");
}

#[test]
fn an_account_event_that_cannot_be_read_is_passed_over_and_only_its_account_stops_taking_commands() {
    let backend = MemoryBackend::default();
    alice_and_bob(&backend);
    write_raw(&backend, ALICE, &[("x/1", "money-frozen", serde_json::json!({ "until": "tomorrow" }))]);
    let mut bank = bank_on(&backend, "tab2");
    assert_eq!(bank.unreadable().iter().map(|u| (u.account, u.position)).collect::<Vec<_>>(), [(ALICE, 4)]);
    assert_eq!((balance(&bank, ALICE), bank.account(&ALICE).version()), (10_000, 3));
    // A freeze would forbid this withdrawal, and the bank cannot tell: it decides nothing on Alice.
    let refused = bank.execute(&ALICE, Command::WithdrawMoney { amount: Cents(2_500) }, AT);
    assert_eq!(refused, Err(BankError::PartlyUnreadable { account: ALICE, position: 4 }));
    assert!(refused.is_err_and(|e| e.to_string().contains("alice takes no commands")));
    // Bob's history is whole; a transfer to Alice stays in flight rather than being decided on her.
    run(&mut bank, BOB, Command::DepositMoney { amount: Cents(1_000) });
    run(&mut bank, BOB, transfer_command(BOB, ALICE, "T1", 500));
    assert_eq!(bank.settle(AT), Ok(vec![]));
    assert_eq!(bank.pending_transfers().count(), 1);
    assert_eq!(balance(&bank, BOB), 500);
}

#[test]
fn a_transfer_no_account_can_settle_stays_in_flight_and_later_ones_settle() {
    let backend = MemoryBackend::default();
    alice_and_bob(&backend);
    // Carol was never opened, yet her stream says she sent money to someone never opened either.
    let out = serde_json::json!({ "transfer": "T9", "to": "dave", "amount": 500 });
    write_raw(&backend, CAROL, &[("x/carol/1", "money-transferred-out", out)]);
    let mut bank = bank_on(&backend, "tab2");
    run(&mut bank, ALICE, transfer_command(ALICE, BOB, "T1", 3000));
    let settled: Vec<_> = bank.settle(AT).expect("settles").into_iter().map(|r| (r.transfer.transfer, r.outcome)).collect();
    assert_eq!(settled, [(transfer("T1"), Outcome::Credited)]);
    assert_eq!(bank.pending_transfers().map(|p| p.transfer.clone()).collect::<Vec<_>>(), [transfer("T9")]);
    assert_eq!(bank.react_next(AT), Ok(None));
}

#[test]
fn two_tabs_settling_the_same_transfer_settle_it_once() {
    let backend = MemoryBackend::default();
    let mut tab1 = alice_and_bob(&backend);
    let mut tab2 = bank_on(&backend, "tab2");
    run(&mut tab1, ALICE, transfer_command(ALICE, BOB, "T1", 3000));
    assert_eq!(tab2.refresh(), Ok(1));
    // Both tabs saw the transfer pending; tab1 settles first, tab2 catches up before deciding.
    assert_eq!(tab1.settle(AT).map(|r| r.len()), Ok(1));
    assert_eq!(tab2.settle(AT).map(|r| r.len()), Ok(0));
    assert_eq!((balance(&tab2, BOB), backend.len()), (3000, 5));
}

/// A bank whose writes are preceded by `interfere`, run once, as if another tab acted at the worst
/// moment: after this bank decided, before its write landed.
fn racing_bank(backend: &MemoryBackend, origin: &str, interfere: impl FnOnce() + 'static) -> Bank<Racy> {
    let interference: Interference = Rc::new(RefCell::new(Some(Box::new(interfere))));
    Bank::open(Racy { backend: backend.clone(), interference })
        .and_then(|bank| bank.with_origin(origin).map_err(BankError::InvalidId))
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn a_clerk_who_loses_the_race_decides_again_on_the_new_balance() {
    let backend = MemoryBackend::default();
    let mut setup = bank_on(&backend, "setup");
    run(&mut setup, ALICE, Command::OpenAccount { owner: None });
    run(&mut setup, ALICE, Command::DepositMoney { amount: Cents(8000) });
    // Both clerks want €50.00 from €80.00; the other clerk's withdrawal lands while ours is written.
    let mut clerk2 = bank_on(&backend, "clerk2");
    let mut clerk1 = racing_bank(&backend, "clerk1", move || {
        run(&mut clerk2, ALICE, Command::WithdrawMoney { amount: Cents(5000) });
    });
    let ours = clerk1.execute(&ALICE, Command::WithdrawMoney { amount: Cents(5000) }, AT);
    assert_eq!(
        ours,
        Err(BankError::Rejected(Rejection::InsufficientFunds {
            balance: crate::money::Balance::from_cents(3000),
            requested: Money::from_cents(5000).unwrap_or(Money::MAX),
        }))
    );
    assert_eq!((balance(&clerk1, ALICE), backend.len()), (3000, 3));
}

#[test]
fn a_refund_decided_before_the_destination_opened_is_decided_again() {
    let backend = MemoryBackend::default();
    let mut setup = alice_and_bob(&backend);
    run(&mut setup, ALICE, transfer_command(ALICE, CAROL, "T1", 3000));
    // Our tab sees Carol's account missing and decides a refund; meanwhile another tab opens Carol's
    // account and credits the transfer. Only a write conditional on the whole log notices.
    let mut other = bank_on(&backend, "other");
    let mut ours = racing_bank(&backend, "ours", move || {
        run(&mut other, CAROL, Command::OpenAccount { owner: None });
        assert_eq!(other.settle(AT).map(|r| r.len()), Ok(1));
    });
    assert_eq!(ours.react_next(AT), Ok(None));
    assert_eq!((balance(&ours, ALICE), balance(&ours, CAROL), ours.total_money()), (7000, 3000, 10_000));
}

#[test]
fn an_origin_names_one_writer() {
    // Two tabs make the same deposit: with their own origins, the ids differ and both are kept
    // (with one origin, the second would be taken for a retry of the first and skipped).
    let backend = MemoryBackend::default();
    let mut tab1 = alice_and_bob(&backend);
    let mut tab2 = bank_on(&backend, "tab2");
    let first = run(&mut tab1, ALICE, Command::DepositMoney { amount: Cents(100) });
    let second = run(&mut tab2, ALICE, Command::DepositMoney { amount: Cents(100) });
    assert_ne!(first[0].id, second[0].id);
    assert_eq!(balance(&tab2, ALICE), 10_200);
    let bank = Bank::open(MemoryBackend::default()).map_err(|e| e.to_string());
    assert!(bank.and_then(|bank| bank.with_origin("").map_err(|e| e.to_string())).is_err(), "an origin is never empty");
}

#[test]
fn an_account_loads_from_its_newest_good_snapshot_and_the_stored_tail() {
    let mut bank = alice_and_bob(&MemoryBackend::default());
    let policy = SnapshotPolicy { every: 10, keep: 2 };
    let mut snapshots = Snapshots::default();
    for i in 0..25 {
        run(&mut bank, ALICE, Command::DepositMoney { amount: Cents(100 + i) });
        let version = bank.account(&ALICE).version();
        if policy.due(version) {
            snapshots.record(bank.snapshot(&ALICE).unwrap_or_else(|e| panic!("{e}")), &policy);
        }
    }
    let kept = snapshots.for_stream(&ALICE.stream());
    assert_eq!(kept.iter().map(|s| s.version).collect::<Vec<_>>(), [10, 20]);
    let loaded = bank.load_account(&ALICE, kept).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((loaded.state, loaded.snapshot_version, loaded.replayed), (bank.account(&ALICE), Some(20), 7));
    snapshots.corrupt_newest(&ALICE.stream());
    let loaded = bank.load_account(&ALICE, snapshots.for_stream(&ALICE.stream())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((loaded.state, loaded.snapshot_version, loaded.replayed), (bank.account(&ALICE), Some(10), 17));
    assert!(matches!(loaded.skipped[0].reason, SkipReason::ChecksumMismatch { .. }));
    let replayed = bank.load_account(&ALICE, &[]).map(|l| (l.snapshot_version, l.replayed));
    assert_eq!(replayed, Ok((None, 27)));
}

/// One step of a random interleaving of two tabs on one backend.
#[derive(Clone, Debug)]
enum Step {
    Open { account: usize },
    Deposit { account: usize, cents: i64 },
    Withdraw { account: usize, cents: i64 },
    Transfer { from: usize, to: usize, cents: i64 },
    ReverseLastDeposit { account: usize },
    Close { account: usize },
    React,
}

fn arb_step() -> impl Strategy<Value = Step> {
    let account = 0usize..3;
    let cents = 1i64..5000;
    prop_oneof![
        1 => account.clone().prop_map(|account| Step::Open { account }),
        3 => (account.clone(), cents.clone()).prop_map(|(account, cents)| Step::Deposit { account, cents }),
        2 => (account.clone(), cents.clone()).prop_map(|(account, cents)| Step::Withdraw { account, cents }),
        4 => (account.clone(), account.clone(), cents).prop_map(|(from, to, cents)| Step::Transfer { from, to, cents }),
        1 => account.clone().prop_map(|account| Step::ReverseLastDeposit { account }),
        1 => account.prop_map(|account| Step::Close { account }),
        3 => Just(Step::React),
    ]
}

const ACCOUNTS: [AccountId; 3] = [ALICE, BOB, CAROL];

/// Runs one step on a bank; `n` makes transfer ids unique.
fn take_step(bank: &mut Bank<impl Backend>, step: &Step, n: usize) -> Result<Vec<RecordedEvent>, BankError> {
    let on = |account: usize| ACCOUNTS[account];
    match *step {
        Step::Open { account } => bank.execute(&on(account), Command::OpenAccount { owner: None }, AT),
        Step::Deposit { account, cents } => {
            bank.execute(&on(account), Command::DepositMoney { amount: Cents(cents) }, AT)
        }
        Step::Withdraw { account, cents } => {
            bank.execute(&on(account), Command::WithdrawMoney { amount: Cents(cents) }, AT)
        }
        Step::Transfer { from, to, cents } => {
            bank.execute(&on(from), transfer_command(on(from), on(to), &format!("T{n}"), cents), AT)
        }
        Step::ReverseLastDeposit { account } => {
            let deposit = bank.account(&on(account)).reversible_deposit().map_or(1, |d| d.version);
            bank.execute(&on(account), Command::ReverseDeposit { deposit, reason: String::new() }, AT)
        }
        Step::Close { account } => bank.execute(&on(account), Command::CloseAccount, AT),
        Step::React => bank.react_next(AT).map(|reaction| reaction.map(|r| r.events).unwrap_or_default()),
    }
}

/// Cents that entered or left the bank from outside through these events.
fn external_flow(events: &[RecordedEvent]) -> i64 {
    events
        .iter()
        .filter_map(|recorded| Event::from_recorded(recorded).ok())
        .map(|event| match event {
            Event::MoneyDeposited { .. } | Event::MoneyWithdrawn { .. } | Event::DepositReversed { .. } => {
                event.balance_change()
            }
            _ => 0,
        })
        .sum()
}

/// Something to run at the worst moment: after a tab has decided, before its write lands.
type Interference = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// A shared memory backend that runs the pending interference before its next write.
struct Racy {
    backend: MemoryBackend,
    interference: Interference,
}

impl Backend for Racy {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        self.backend.read_after(after)
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        let interference = self.interference.borrow_mut().take();
        if let Some(interfere) = interference {
            interfere();
        }
        self.backend.write_after(head, events)
    }

    fn mend(&mut self, now: Timestamp) -> Result<bool, BackendError> {
        self.backend.mend(now)
    }
}

/// What a rival writer does between a tab's decision and its write: usually nothing, sometimes a
/// few steps.
fn rival_steps() -> impl Strategy<Value = Vec<Step>> {
    prop_oneof![3 => Just(Vec::new()), 2 => proptest::collection::vec(arb_step(), 1..4)]
}

/// Outcomes a step may legitimately have besides success.
fn tolerated(error: &BankError) -> bool {
    matches!(error, BankError::Rejected(_))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn money_is_conserved_by_transfers_under_any_interleaving(
        steps in proptest::collection::vec((0usize..2, arb_step(), rival_steps()), 1..50),
    ) {
        let backend = MemoryBackend::default();
        let interference: Interference = Rc::default();
        let open_tab = |origin: &str| {
            let racy = Racy { backend: backend.clone(), interference: interference.clone() };
            Bank::open(racy).and_then(|bank| bank.with_origin(origin).map_err(BankError::InvalidId))
        };
        let mut tabs = [
            open_tab("tab1").map_err(|e| TestCaseError::fail(e.to_string()))?,
            open_tab("tab2").map_err(|e| TestCaseError::fail(e.to_string()))?,
        ];
        // Alice and Bob start with €100.00 each; Carol has no account yet.
        let mut setup = alice_and_bob(&backend);
        run(&mut setup, BOB, Command::DepositMoney { amount: Cents(10_000) });
        // A third writer that acts between another tab's decision and its write.
        let rival = Rc::new(RefCell::new(bank_on(&backend, "rival")));
        let external = Rc::new(Cell::new(20_000i64));
        let failures = Rc::new(RefCell::new(Vec::<String>::new()));
        for (n, (tab, step, rival_steps)) in steps.into_iter().enumerate() {
            if !rival_steps.is_empty() {
                let (rival, external, failures) = (rival.clone(), external.clone(), failures.clone());
                *interference.borrow_mut() = Some(Box::new(move || {
                    for (i, rival_step) in rival_steps.iter().enumerate() {
                        match take_step(&mut rival.borrow_mut(), rival_step, 1000 * (n + 1) + i) {
                            Ok(events) => external.set(external.get() + external_flow(&events)),
                            Err(error) if tolerated(&error) => {}
                            Err(error) => failures.borrow_mut().push(error.to_string()),
                        }
                    }
                }));
            }
            match take_step(&mut tabs[tab], &step, n) {
                Ok(events) => external.set(external.get() + external_flow(&events)),
                Err(error) if tolerated(&error) => {}
                Err(error) => prop_assert!(false, "unexpected error: {}", error),
            }
            // An interference the tab did not trigger (it wrote nothing) is dropped.
            interference.borrow_mut().take();
            prop_assert_eq!(failures.borrow().clone(), Vec::<String>::new());
            for tab in &mut tabs {
                prop_assert!(tab.refresh().is_ok());
                prop_assert_eq!(tab.total_money(), external.get());
                prop_assert!(tab.accounts().all(|(_, account)| account.balance().cents() >= 0));
            }
        }
        // Settling everything leaves nothing in flight and the same money in the accounts.
        prop_assert!(tabs[1].settle(AT).is_ok());
        prop_assert!(tabs[0].refresh().is_ok());
        prop_assert_eq!(tabs[0].pending_transfers().count(), 0);
        let in_accounts: i64 = tabs[0].accounts().map(|(_, account)| account.balance().cents()).sum();
        prop_assert_eq!(in_accounts, external.get());
        // Every transfer was settled exactly once.
        let all = tabs[0].store().read_all(0);
        let count = |types: &[&str]| all.iter().filter(|e| types.contains(&e.event_type.as_str())).count();
        prop_assert_eq!(count(&["money-transferred-in", "transfer-refunded"]), count(&["money-transferred-out"]));
    }
}

// Two tabs, each with its own copy of localStorage (`fixture::Browser`): commands that race.

type TabBank = Bank<SegmentedBackend<Tab>>;

fn bank_in_tab(browser: &Browser, origin: &str) -> TabBank {
    let (backend, _) = SegmentedBackend::open(browser.tab(), AT).expect("the tab reads");
    Bank::open(backend).and_then(|bank| bank.with_origin(origin).map_err(BankError::InvalidId)).expect("a tab's bank opens")
}

/// Lets the tabs' writes and `storage` events settle, reconciling each bank that hears one;
/// returns the commands decided again.
fn settle_tabs(browser: &Browser, banks: &mut [&mut TabBank]) -> Vec<DecidedAgain> {
    let mut decided = Vec::new();
    for _ in 0..20 {
        let mut quiet = true;
        for bank in banks.iter() {
            browser.flush(bank.store().backend().key_value());
        }
        for bank in banks.iter_mut() {
            if !browser.deliver(bank.store().backend().key_value()).is_empty() {
                quiet = false;
                decided.extend(bank.reconcile(AT).expect("reconciles").decided_again);
            }
        }
        if quiet {
            return decided;
        }
    }
    panic!("the tabs kept writing over each other");
}

/// Two tabs where alice's account is open with `cents`, both having seen it.
fn two_tabs_with_alice(cents: i64) -> (Browser, TabBank, TabBank) {
    let browser = Browser::default();
    let mut a = bank_in_tab(&browser, "tabA");
    run(&mut a, ALICE, Command::OpenAccount { owner: None });
    if cents > 0 {
        run(&mut a, ALICE, Command::DepositMoney { amount: Cents(cents) });
    }
    let mut b = bank_in_tab(&browser, "tabB");
    settle_tabs(&browser, &mut [&mut a, &mut b]);
    (browser, a, b)
}

#[test]
fn two_tabs_depositing_at_once_keep_both_deposits() {
    let (browser, mut a, mut b) = two_tabs_with_alice(0);
    run(&mut a, ALICE, Command::DepositMoney { amount: Cents(100) });
    // Tab b decides on a copy that does not hold a's deposit yet, at the same version.
    run(&mut b, ALICE, Command::DepositMoney { amount: Cents(200) });
    let decided = settle_tabs(&browser, &mut [&mut a, &mut b]);
    // Whichever write the browser kept, the other tab decided its deposit again, on top of it.
    assert_eq!(decided.len(), 1);
    assert!(decided[0].outcome.is_ok(), "{decided:?}");
    assert_eq!(a.account(&ALICE).balance().cents(), 300);
    assert_eq!(b.account(&ALICE).balance().cents(), 300);
    assert_eq!(bank_in_tab(&browser, "reader").account(&ALICE).balance().cents(), 300);
}

#[test]
fn two_tabs_withdrawing_the_last_euro_at_once_overdraw_nothing() {
    let (browser, mut a, mut b) = two_tabs_with_alice(100);
    run(&mut a, ALICE, Command::WithdrawMoney { amount: Cents(100) });
    run(&mut b, ALICE, Command::WithdrawMoney { amount: Cents(100) });
    let decided = settle_tabs(&browser, &mut [&mut a, &mut b]);
    // The withdrawal the browser did not keep is decided again, on a balance of nothing.
    assert_eq!(decided.len(), 1);
    assert!(matches!(decided[0].outcome, Err(BankError::Rejected(Rejection::InsufficientFunds { .. }))), "{decided:?}");
    assert_eq!(bank_in_tab(&browser, "reader").account(&ALICE).balance().cents(), 0);
    assert_eq!(a.account(&ALICE).balance().cents(), 0);
}

#[test]
fn two_tabs_transferring_at_once_under_one_transfer_id_make_both_transfers() {
    let (browser, mut a, mut b) = two_tabs_with_alice(1_000);
    run(&mut a, BOB, Command::OpenAccount { owner: None });
    settle_tabs(&browser, &mut [&mut a, &mut b]);
    // Each tab picks the bank's next transfer id on its own copy: both pick T1.
    let (first, second) = (a.next_transfer_id(), b.next_transfer_id());
    assert_eq!(first, second);
    run(&mut a, ALICE, Command::TransferMoney { transfer: first, from: ALICE, to: BOB, amount: Cents(300) });
    a.settle(AT).expect("settles");
    run(&mut b, ALICE, Command::TransferMoney { transfer: second, from: ALICE, to: BOB, amount: Cents(200) });
    b.settle(AT).expect("settles");
    let decided = settle_tabs(&browser, &mut [&mut a, &mut b]);
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert!(matches!(&decided[0].command, Command::TransferMoney { transfer, .. } if transfer.as_str() == "T2"), "{decided:?}");
    let stored = bank_in_tab(&browser, "reader");
    assert_eq!((stored.account(&ALICE).balance().cents(), stored.account(&BOB).balance().cents()), (500, 500));
    assert_eq!(stored.pending_transfers().count(), 0);
}

#[test]
fn a_command_that_needed_a_credit_lost_in_a_race_is_decided_after_the_credit_is_made_again() {
    let (browser, mut a, mut b) = two_tabs_with_alice(1_000);
    run(&mut a, BOB, Command::OpenAccount { owner: None });
    run(&mut a, CAROL, Command::OpenAccount { owner: None });
    settle_tabs(&browser, &mut [&mut a, &mut b]);
    run(&mut a, ALICE, transfer_command(ALICE, BOB, "T1", 300));
    a.settle(AT).expect("credits bob");
    run(&mut a, BOB, Command::WithdrawMoney { amount: Cents(300) });
    // Tab b, which has seen none of it, deposits on an account of its own; the browser keeps b's write.
    run(&mut b, CAROL, Command::DepositMoney { amount: Cents(1) });
    browser.flush(a.store().backend().key_value());
    browser.flush(b.store().backend().key_value());
    browser.deliver(a.store().backend().key_value());
    let reconciled = a.reconcile(AT).expect("reconciles");
    // The credit (conditional on the whole log) was lost; the withdrawal from bob, decided on it,
    // is decided again once the process has credited bob again.
    assert_eq!(reconciled.decided_again.len(), 1, "{reconciled:?}");
    assert!(reconciled.decided_again[0].outcome.is_ok(), "{reconciled:?}");
    settle_tabs(&browser, &mut [&mut a, &mut b]);
    let stored = bank_in_tab(&browser, "reader");
    let balances: Vec<i64> = [ALICE, BOB, CAROL].iter().map(|id| stored.account(id).balance().cents()).collect();
    assert_eq!(balances, [700, 0, 1]);
}

proptest! {
    /// Whatever the interleaving of two tabs' deposits and withdrawals, writes (whole, or key by
    /// key, so that one tab's can tear another's) and `storage` events, once they settle no balance is below zero, both tabs show what is stored, and every
    /// deposit a tab was told it made is stored (first time or decided again).
    #[test]
    fn racing_tabs_never_overdraw(steps in proptest::collection::vec((0u8..5, any::<bool>(), 1i64..300), 1..40)) {
        let (browser, mut a, mut b) = two_tabs_with_alice(200);
        let mut deposited = 200;
        for (step, which, cents) in &steps {
            let tab = if *which { &mut a } else { &mut b };
            match step {
                0 => {
                    tab.execute(&ALICE, Command::DepositMoney { amount: Cents(*cents) }, AT).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    deposited += cents;
                }
                1 => {
                    let _ = tab.execute(&ALICE, Command::WithdrawMoney { amount: Cents(*cents) }, AT);
                }
                2 => browser.flush(tab.store().backend().key_value()),
                3 => {
                    browser.flush_one(tab.store().backend().key_value());
                }
                _ => {
                    if !browser.deliver(tab.store().backend().key_value()).is_empty() {
                        for again in tab.reconcile(AT).map_err(|e| TestCaseError::fail(e.to_string()))?.decided_again {
                            prop_assert!(again.outcome.is_ok() || matches!(again.command, Command::WithdrawMoney { .. }), "{:?}", again);
                        }
                    }
                }
            }
        }
        for again in settle_tabs(&browser, &mut [&mut a, &mut b]) {
            prop_assert!(again.outcome.is_ok() || matches!(again.command, Command::WithdrawMoney { .. }), "{:?}", again);
        }
        let stored = bank_in_tab(&browser, "reader");
        let history = stored.history(&ALICE).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut balance = 0;
        let mut deposits = 0;
        for event in &history {
            match event {
                Event::MoneyDeposited { amount, .. } => { balance += amount.signed(); deposits += amount.signed(); }
                Event::MoneyWithdrawn { amount, .. } => balance -= amount.signed(),
                _ => {}
            }
            prop_assert!(balance >= 0, "overdrawn to {} in {:?}", balance, history);
        }
        prop_assert_eq!(deposits, deposited);
        prop_assert_eq!(a.account(&ALICE), stored.account(&ALICE));
        prop_assert_eq!(b.account(&ALICE), stored.account(&ALICE));
    }
}
