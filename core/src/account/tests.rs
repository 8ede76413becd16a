//! Specifications of the account decider, one per command and per rejection, plus its JSON shape.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::fold::{fold, state_at, states};
use crate::spec::given;

fn money(cents: i64) -> Money {
    Money::from_cents(cents).expect("fixture amounts are positive")
}

fn account(name: &str) -> AccountId {
    AccountId::new(name).expect("fixture ids are valid")
}

fn transfer(id: &str) -> TransferId {
    TransferId::new(id).expect("fixture ids are valid")
}

fn opened() -> Event {
    Event::AccountOpened { owner: None }
}

fn deposited(cents: i64) -> Event {
    Event::MoneyDeposited { amount: money(cents) }
}

fn withdrawn(cents: i64) -> Event {
    Event::MoneyWithdrawn { amount: money(cents) }
}

fn deposit(cents: i64) -> Command {
    Command::DepositMoney { amount: Cents(cents) }
}

fn withdraw(cents: i64) -> Command {
    Command::WithdrawMoney { amount: Cents(cents) }
}

fn transfer_to(to: &str, cents: i64) -> Command {
    Command::TransferMoney { transfer: transfer("T1"), from: account("alice"), to: account(to), amount: Cents(cents) }
}

fn reverse(deposit: u64) -> Command {
    Command::ReverseDeposit { deposit, reason: "typed twice".to_owned() }
}

fn credit(cents: i64) -> Command {
    Command::CreditTransfer { transfer: transfer("T1"), from: account("bob"), amount: money(cents) }
}

fn refund(cents: i64) -> Command {
    Command::RefundTransfer { transfer: transfer("T1"), amount: money(cents), reason: RefundReason::DestinationClosed }
}

fn balance(cents: i64) -> Balance {
    Balance::from_cents(cents)
}

// Commands.

#[test]
fn opening_an_account_opens_it() {
    given([]).when(Command::OpenAccount { owner: None }).then([opened()]);
}

#[test]
fn opening_an_account_records_its_owner() {
    given([])
        .when(Command::OpenAccount { owner: Some("Alice".to_owned()) })
        .then([Event::AccountOpened { owner: Some("Alice".to_owned()) }]);
}

#[test]
fn depositing_money_deposits_it() {
    given([opened()]).when(deposit(1250)).then([deposited(1250)]);
}

#[test]
fn withdrawing_money_withdraws_it() {
    given([opened(), deposited(5000)]).when(withdraw(3000)).then([withdrawn(3000)]);
}

#[test]
fn withdrawing_the_whole_balance_is_allowed() {
    given([opened(), deposited(5000)]).when(withdraw(5000)).then([withdrawn(5000)]);
}

#[test]
fn transferring_money_sends_it_out_of_the_source_only() {
    given([opened(), deposited(5000)]).when(transfer_to("bob", 2000)).then([Event::MoneyTransferredOut {
        transfer: transfer("T1"),
        to: account("bob"),
        amount: money(2000),
    }]);
}

#[test]
fn reversing_a_deposit_takes_its_amount_back() {
    given([opened(), deposited(1000), deposited(1000)]).when(reverse(3)).then([Event::DepositReversed {
        deposit: 3,
        amount: money(1000),
        reason: "typed twice".to_owned(),
    }]);
}

#[test]
fn closing_an_empty_account_closes_it() {
    given([opened(), deposited(500), withdrawn(500)]).when(Command::CloseAccount).then([Event::AccountClosed]);
}

#[test]
fn crediting_a_transfer_receives_the_money() {
    given([opened()]).when(credit(700)).then([Event::MoneyTransferredIn {
        transfer: transfer("T1"),
        from: account("bob"),
        amount: money(700),
    }]);
}

#[test]
fn refunding_a_transfer_gives_the_money_back() {
    given([opened()]).when(refund(700)).then([Event::TransferRefunded {
        transfer: transfer("T1"),
        amount: money(700),
        reason: RefundReason::DestinationClosed,
    }]);
}

#[test]
fn refunding_a_transfer_reaches_even_a_closed_source() {
    let out = Event::MoneyTransferredOut { transfer: transfer("T1"), to: account("bob"), amount: money(700) };
    given([opened(), deposited(700), out, Event::AccountClosed]).when(refund(700)).then([
        Event::TransferRefunded { transfer: transfer("T1"), amount: money(700), reason: RefundReason::DestinationClosed },
    ]);
}

// Rejections.

#[test]
fn amounts_must_be_positive() {
    for command in [deposit(0), deposit(-100), withdraw(0), transfer_to("bob", -1)] {
        given([opened(), deposited(5000)]).when(command).then_rejected(Rejection::AmountNotPositive);
    }
}

#[test]
fn amounts_must_not_exceed_the_maximum() {
    given([opened()]).when(deposit(Money::MAX.signed() + 1)).then_rejected(Rejection::AmountTooLarge);
}

#[test]
fn withdrawals_need_sufficient_funds() {
    given([opened(), deposited(3000)])
        .when(withdraw(5000))
        .then_rejected(Rejection::InsufficientFunds { balance: balance(3000), requested: money(5000) });
}

#[test]
fn transfers_need_sufficient_funds() {
    given([opened(), deposited(3000)])
        .when(transfer_to("bob", 3001))
        .then_rejected(Rejection::InsufficientFunds { balance: balance(3000), requested: money(3001) });
}

#[test]
fn a_reversal_needs_the_deposit_still_in_the_account() {
    given([opened(), deposited(3000), withdrawn(2500)])
        .when(reverse(2))
        .then_rejected(Rejection::InsufficientFunds { balance: balance(500), requested: money(3000) });
}

#[test]
fn money_commands_need_an_open_account() {
    for command in [deposit(100), withdraw(100), transfer_to("bob", 100), reverse(1), Command::CloseAccount, credit(100), refund(100)]
    {
        given([]).when(command).then_rejected(Rejection::AccountNotOpen);
    }
}

#[test]
fn an_account_is_opened_once() {
    given([opened()]).when(Command::OpenAccount { owner: None }).then_rejected(Rejection::AccountAlreadyOpen);
}

#[test]
fn a_closed_account_accepts_no_commands() {
    let commands = [
        Command::OpenAccount { owner: None },
        deposit(100),
        withdraw(100),
        transfer_to("bob", 100),
        reverse(2),
        Command::CloseAccount,
        credit(100),
    ];
    for command in commands {
        given([opened(), Event::AccountClosed]).when(command).then_rejected(Rejection::AccountClosed);
    }
}

#[test]
fn a_transfer_needs_two_accounts() {
    given([opened(), deposited(5000)]).when(transfer_to("alice", 100)).then_rejected(Rejection::TransferToSameAccount);
}

#[test]
fn only_known_recent_deposits_can_be_reversed() {
    // Version 3 is a withdrawal, not a deposit.
    given([opened(), deposited(1000), withdrawn(100)]).when(reverse(3)).then_rejected(Rejection::UnknownDeposit { deposit: 3 });
    // Version 2 was reversed already.
    let reversed = Event::DepositReversed { deposit: 2, amount: money(1000), reason: String::new() };
    given([opened(), deposited(1000), deposited(1000), reversed])
        .when(reverse(2))
        .then_rejected(Rejection::UnknownDeposit { deposit: 2 });
    // Version 2 is no longer the latest deposit.
    given([opened(), deposited(1000), deposited(500)]).when(reverse(2)).then_rejected(Rejection::UnknownDeposit { deposit: 2 });
}

#[test]
fn only_an_empty_account_can_be_closed() {
    given([opened(), deposited(1200)]).when(Command::CloseAccount).then_rejected(Rejection::BalanceNotZero { balance: balance(1200) });
}

#[test]
fn rejections_explain_themselves_to_a_learner() {
    let message = Rejection::InsufficientFunds { balance: balance(3000), requested: money(5000) }.to_string();
    assert_eq!(message, "Insufficient funds: the balance is €30.00, less than the €50.00 asked for.");
    assert_eq!(
        Rejection::BalanceNotZero { balance: balance(1200) }.to_string(),
        "The account still holds €12.00: withdraw or transfer it before closing the account."
    );
}

// Evolve and fold.

#[test]
fn the_state_follows_the_history_step_by_step() {
    let history = [opened(), deposited(5000), withdrawn(1500), deposited(200), Event::DepositReversed {
        deposit: 4,
        amount: money(200),
        reason: String::new(),
    }];
    let balances: Vec<i64> = states(Account::default(), &history, evolve).iter().map(|s| s.balance().cents()).collect();
    assert_eq!(balances, [0, 5000, 3500, 3700, 3500]);
    let past = state_at(Account::default(), &history, 2, evolve);
    assert_eq!((past.balance(), past.version(), past.is_open()), (balance(5000), 2, true));
    assert_eq!(past.reversible_deposit(), Some(RecentDeposit { version: 2, amount: money(5000) }));
    let now = fold(Account::default(), &history, evolve);
    assert_eq!((now.version(), now.reversible_deposit()), (5, None));
}

#[test]
fn evolve_shows_impossible_histories_as_they_are() {
    // A hand-edited list may withdraw money never deposited: a fact is applied, not refused.
    let state = fold(Account::default(), &[opened(), withdrawn(2000)], evolve);
    assert_eq!(state.balance().to_string(), "-€20.00");
    assert_eq!(Account::default().status(), Status::NotOpened);
}

#[test]
fn events_describe_themselves() {
    assert_eq!(deposited(1250).describe(), "deposited €12.50");
    assert_eq!(
        Event::TransferRefunded { transfer: transfer("T1"), amount: money(100), reason: RefundReason::DestinationNotOpen }
            .describe(),
        "got €1.00 back: transfer T1 failed because the destination account was never opened"
    );
}

// JSON.

#[test]
fn events_have_a_stable_json_shape() {
    let json = |event: &Event| serde_json::to_value(event).ok();
    assert_eq!(json(&deposited(1250)), Some(json!({"type": "money-deposited", "data": {"amount": 1250}})));
    assert_eq!(json(&Event::AccountClosed), Some(json!({"type": "account-closed"})));
    let out = Event::MoneyTransferredOut { transfer: transfer("T1"), to: account("bob"), amount: money(1000) };
    assert_eq!(
        json(&out),
        Some(json!({"type": "money-transferred-out", "data": {"transfer": "T1", "to": "bob", "amount": 1000}}))
    );
    let new = deposited(1250).to_new_event(EventId::new("e1").expect("valid"));
    assert_eq!((new.event_type.as_str(), new.schema, new.data), ("money-deposited", 2, json!({"amount": 1250})));
    assert_eq!(Event::AccountClosed.data(), Value::Null);
}

#[track_caller]
fn check_bad_json(json: &str, expected: &str) {
    let error = Event::from_json(json).map_err(|error| error.to_string());
    assert_eq!(error, Err(expected.to_owned()), "decoding {json}");
}

#[test]
fn bad_json_is_an_error_value() {
    check_bad_json(r#"{"type": "money-printed", "data": {"amount": 5}}"#, "\"money-printed\" is not a known event type.");
    check_bad_json(
        r#"{"type": "money-deposited", "data": {}}"#,
        "This \"money-deposited\" event (schema 2) is malformed: missing field `amount`.",
    );
    check_bad_json(
        r#"{"type": "money-deposited", "data": {"amount": -5}}"#,
        "This \"money-deposited\" event (schema 2) is malformed: The amount must be more than zero.",
    );
    check_bad_json(
        r#"{"type": "money-withdrawn", "data": {"amount": 0.5}}"#,
        "This \"money-withdrawn\" event (schema 1) is malformed: invalid type: floating point `0.5`, expected i64.",
    );
    check_bad_json(
        r#"{"type": "money-transferred-in", "data": {"transfer": "T1", "from": "no/slash", "amount": 5}}"#,
        "This \"money-transferred-in\" event (schema 1) is malformed: An account id cannot contain '/'.",
    );
    check_bad_json(r#"{"data": {}}"#, "\"\" is not a known event type.");
    check_bad_json(r#"[1, 2"#, "This is not an event: EOF while parsing a list at line 1 column 5.");
    check_bad_json(
        r#"{"type": "money-deposited", "data": "lots"}"#,
        "This \"money-deposited\" event (schema 2) is malformed: invalid type: string \"lots\", expected struct variant Event::MoneyDeposited.",
    );
}

#[test]
fn commands_have_the_same_json_shape() {
    let command = Command::DepositMoney { amount: Cents(1250) };
    let json = serde_json::to_value(&command).ok();
    assert_eq!(json, Some(json!({"type": "deposit-money", "data": {"amount": 1250}})));
    let back: Result<Command, _> = serde_json::from_value(json!({"type": "deposit-money", "data": {"amount": -3}}));
    assert_eq!(back.ok(), Some(Command::DepositMoney { amount: Cents(-3) }));
}

fn arb_money() -> impl Strategy<Value = Money> {
    (1i64..=Money::MAX.signed()).prop_map(money)
}

fn arb_account() -> impl Strategy<Value = AccountId> {
    "[a-z][a-z0-9 _-]{0,14}[a-z0-9]".prop_map(|id| account(&id))
}

fn arb_transfer() -> impl Strategy<Value = TransferId> {
    "[A-Za-z0-9:/._-]{1,20}".prop_map(|id| transfer(&id))
}

fn arb_reason() -> impl Strategy<Value = RefundReason> {
    prop_oneof![Just(RefundReason::DestinationNotOpen), Just(RefundReason::DestinationClosed)]
}

/// Any event, with any valid field values.
pub(crate) fn arb_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        proptest::option::of("\\PC{0,12}").prop_map(|owner| Event::AccountOpened { owner }),
        arb_money().prop_map(|amount| Event::MoneyDeposited { amount }),
        arb_money().prop_map(|amount| Event::MoneyWithdrawn { amount }),
        (arb_transfer(), arb_account(), arb_money())
            .prop_map(|(transfer, to, amount)| Event::MoneyTransferredOut { transfer, to, amount }),
        (arb_transfer(), arb_account(), arb_money())
            .prop_map(|(transfer, from, amount)| Event::MoneyTransferredIn { transfer, from, amount }),
        (arb_transfer(), arb_money(), arb_reason())
            .prop_map(|(transfer, amount, reason)| Event::TransferRefunded { transfer, amount, reason }),
        (1u64..1_000_000, arb_money(), "\\PC{0,12}")
            .prop_map(|(deposit, amount, reason)| Event::DepositReversed { deposit, amount, reason }),
        Just(Event::AccountClosed),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_event_round_trips_through_json(event in arb_event()) {
        let text = serde_json::to_string(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(Event::from_json(&text), Ok(event.clone()));
        let new = event.to_new_event(EventId::new("e").map_err(|e| TestCaseError::fail(e.to_string()))?);
        prop_assert_eq!(Event::from_stored(&new.event_type, new.schema, &new.data, &Upcasters::standard()), Ok(event));
    }

    #[test]
    fn any_json_decodes_or_errs_without_panicking(
        event_type in prop_oneof![Just("money-deposited".to_owned()), Just("transfer-refunded".to_owned()), "\\PC{0,8}"],
        data in "\\PC{0,40}",
    ) {
        let _ = Event::from_json(&format!(r#"{{"type": {event_type:?}, "data": {data}}}"#));
    }
}
