//! Specifications of the projections: each view from a small bank, rebuilds and catch-up.

use super::*;
use crate::bank::Bank;
use crate::money::Cents;
use crate::account::Command;
use crate::id::{StreamId, TransferId};
use crate::store::{ExpectedVersion, MemoryBackend, NewEvent};

const ALICE: AccountId = AccountId::constant("alice");
const BOB: AccountId = AccountId::constant("bob");

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Alice and Bob through April and May 2024, with a transfer still in flight at the end.
fn bank() -> Bank<MemoryBackend> {
    let mut bank = Bank::open(MemoryBackend::default()).unwrap_or_else(|e| panic!("{e}"));
    let april = at("2024-04-30T23:00:00Z");
    let may = at("2024-05-02T09:00:00Z");
    let transfer = |id: &str, cents| Command::TransferMoney {
        transfer: TransferId::new(id).unwrap_or_else(|e| panic!("{e}")),
        from: ALICE,
        to: BOB,
        amount: Cents(cents),
    };
    let steps = [
        (ALICE, Command::OpenAccount { owner: None }, april),
        (ALICE, Command::DepositMoney { amount: Cents(500_000) }, april),
        (BOB, Command::OpenAccount { owner: None }, april),
        (ALICE, Command::WithdrawMoney { amount: Cents(150_000) }, may),
        (ALICE, transfer("T1", 20_000), may),
        (ALICE, Command::WithdrawMoney { amount: Cents(99_999) }, may),
    ];
    for (account, command, when) in steps {
        bank.execute(&account, command, when).unwrap_or_else(|e| panic!("{e}"));
    }
    bank.settle(may).unwrap_or_else(|e| panic!("{e}"));
    bank.execute(&ALICE, transfer("T2", 100_000), may).unwrap_or_else(|e| panic!("{e}"));
    bank
}

fn rebuilt<P: Projection + Default>(bank: &Bank<MemoryBackend>) -> Projector<P> {
    Projector::rebuild(bank.store()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn balances_show_every_account_and_the_money_in_flight() {
    let balances = rebuilt::<Balances>(&bank());
    assert_eq!(balances.balance(&ALICE).map(Balance::cents), Some(130_001));
    assert_eq!(balances.balance(&BOB).map(Balance::cents), Some(20_000));
    assert_eq!((balances.in_flight(), balances.total()), (100_000, 250_001));
    let statuses: Vec<_> = balances.accounts().map(|(id, line)| (id.to_string(), line.status, line.events)).collect();
    assert_eq!(statuses, [("alice".to_owned(), Status::Open, 6), ("bob".to_owned(), Status::Open, 2)]);
}

#[test]
fn the_monthly_statement_carries_balances_from_month_to_month() {
    let statements = rebuilt::<MonthlyStatement>(&bank());
    let april = YearMonth { year: 2024, month: 4 };
    let may = YearMonth { year: 2024, month: 5 };
    assert_eq!(statements.months(&ALICE), [april, may]);
    let summary = |month| {
        statements.statement(&ALICE, month).map(|s| (s.opening.cents(), s.money_in, s.money_out, s.closing.cents(), s.lines.len()))
    };
    assert_eq!(summary(april), Some((0, 500_000, 0, 500_000, 2)));
    assert_eq!(summary(may), Some((500_000, 0, 369_999, 130_001, 4)));
    let lines: Vec<_> = statements.statement(&ALICE, may).map_or(vec![], |s| s.lines.iter().map(|l| l.description.clone()).collect());
    assert_eq!(lines[0], "withdrew €1,500.00");
    assert_eq!(lines[1], "sent €200.00 to bob (transfer T1)");
}

#[test]
fn large_withdrawals_are_flagged_at_the_threshold() {
    let flags = |threshold| {
        let mut projector = Projector::new(LargeWithdrawals::with_threshold(Money::from_cents(threshold).unwrap_or(Money::MAX)));
        projector.catch_up(bank().store()).unwrap_or_else(|e| panic!("{e}"));
        projector.flags().iter().map(|f| (f.event_type, f.amount.cents())).collect::<Vec<_>>()
    };
    assert_eq!(flags(100_000), [("money-withdrawn", 150_000), ("money-transferred-out", 100_000)]);
    assert_eq!(flags(20_000), [
        ("money-withdrawn", 150_000),
        ("money-transferred-out", 20_000),
        ("money-withdrawn", 99_999),
        ("money-transferred-out", 100_000)
    ]);
    assert_eq!(LargeWithdrawals::default().threshold().to_string(), "€1,000.00");
}

#[test]
fn type_counts_count_each_type() {
    let counts = rebuilt::<TypeCounts>(&bank());
    assert_eq!(counts.count("money-withdrawn"), 2);
    assert_eq!(counts.count("money-transferred-out"), 2);
    assert_eq!(counts.count("money-transferred-in"), 1);
    assert_eq!(counts.count("account-closed"), 0);
    assert_eq!(counts.total(), 8);
    assert_eq!(counts.counts().map(|(t, _)| t).next(), Some("account-opened"));
}

#[test]
fn catching_up_step_by_step_equals_rebuilding() {
    let bank = bank();
    let mut step_by_step = Projector::new(MonthlyStatement::default());
    for position in 1..=bank.store().head() {
        let one = &bank.store().read_all(position)[..1];
        // Each event is fed twice: a consumer must be safe to retry.
        assert_eq!(step_by_step.feed(one), Ok(1));
        assert_eq!(step_by_step.feed(one), Ok(0));
    }
    assert_eq!(step_by_step, rebuilt::<MonthlyStatement>(&bank));
    assert_eq!(step_by_step.position(), bank.store().head());
}

#[test]
fn projections_stop_at_a_gap_or_an_unreadable_event() {
    let bank = bank();
    let mut balances = Projector::new(Balances::default());
    assert_eq!(balances.feed(&bank.store().read_all(3)[..1]), Err(ProjectionError::Gap { expected: 1, found: 3 }));

    let mut store = crate::store::EventStore::open(MemoryBackend::default()).unwrap_or_else(|e| panic!("{e}"));
    let id = |text: &str| crate::id::EventId::new(text).unwrap_or_else(|e| panic!("{e}"));
    let progress = NewEvent { id: id("p1"), event_type: "lesson-completed".to_owned(), schema: 1, data: serde_json::json!({}) };
    let broken = NewEvent { id: id("b1"), event_type: "money-deposited".to_owned(), schema: 2, data: serde_json::json!({"amount": -1}) };
    let progress_stream = StreamId::new("progress").unwrap_or_else(|e| panic!("{e}"));
    for (stream, event) in [(progress_stream, progress), (ALICE.stream(), broken)] {
        store.append(&stream, ExpectedVersion::Any, vec![event], Timestamp(0)).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut counts = Projector::new(TypeCounts::default());
    let stopped = counts.catch_up(&store).map_err(|e| e.to_string());
    assert_eq!(
        stopped,
        Err("Event at position 2: This \"money-deposited\" event (schema 2) is malformed: The amount must be more than zero.".to_owned())
    );
    // The progress event of another stream category was passed over, not counted.
    assert_eq!((counts.position(), counts.total()), (1, 0));
}
