//! Deterministic histories of plausible account events, for benchmarks, tests and the snapshot lab.
//!
//! The same seed always gives the same events, on every machine and in the browser: the generator is
//! a small SplitMix64, not a random-number crate, and every event comes from `decide`, so a generated
//! history is one the decider could really have produced.

use crate::account::{decide, evolve, Account, Command, Event, RefundReason};
use crate::id::{AccountId, TransferId};
use crate::money::{Cents, Money};

/// SplitMix64: tiny, fast and good enough to make histories look varied (the app also shuffles
/// quiz choices with it, and the exercises generate their long cases).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator that always gives the same numbers for the same seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high` (`low` when `high` is below it).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        let next = self.next_u64();
        match high.checked_sub(low).map(|span| span.checked_add(1)) {
            Some(Some(size)) => low + next % size,
            // The whole range of u64.
            Some(None) => next,
            None => low,
        }
    }

    /// A number in `0..n` (`n` at least 1).
    pub fn below(&mut self, n: u64) -> u64 {
        self.between(0, n.max(1) - 1)
    }
}

/// The account generated histories belong to.
pub const OWNER: AccountId = AccountId::constant("alice");

/// The counterparties of generated transfers.
const OTHERS: [AccountId; 3] =
    [AccountId::constant("bob"), AccountId::constant("carol"), AccountId::constant("dave")];

/// `n` events of the life of account [`OWNER`] (`n = 0` gives none): opened first, then deposits, withdrawals,
/// transfers both ways, the odd refund and deposit reversal. The account stays open.
pub fn account_history(seed: u64, n: usize) -> Vec<Event> {
    let mut rng = SplitMix64::new(seed);
    let mut events = Vec::with_capacity(n);
    let mut state = Account::default();
    let mut last_transfer_out: Option<(TransferId, Money)> = None;
    let mut transfers = 0u64;
    while events.len() < n {
        let command = if state.version() == 0 {
            Command::OpenAccount { owner: None }
        } else {
            next_command(&mut rng, &state, &mut last_transfer_out, &mut transfers)
        };
        // Every command built above is valid for the state; a refusal would only mean a bug here, and
        // a deposit keeps the history going either way.
        let decided = decide(&command, &state)
            .or_else(|_| decide(&Command::DepositMoney { amount: Cents(100) }, &state))
            .unwrap_or_default();
        for event in decided {
            if let Event::MoneyTransferredOut { transfer, amount, .. } = &event {
                last_transfer_out = Some((transfer.clone(), *amount));
            }
            state = evolve(state, &event);
            events.push(event);
        }
    }
    events.truncate(n);
    events
}

fn next_command(
    rng: &mut SplitMix64,
    state: &Account,
    last_transfer_out: &mut Option<(TransferId, Money)>,
    transfers: &mut u64,
) -> Command {
    let balance = state.balance().cents().max(0).unsigned_abs();
    let other = OTHERS[(state.version() % OTHERS.len() as u64) as usize];
    let roll = rng.between(1, 100);
    let spendable = |rng: &mut SplitMix64| Cents(rng.between(1, balance.min(30_000)) as i64);
    match roll {
        1..=45 => Command::DepositMoney { amount: Cents(rng.between(100, 50_000) as i64) },
        46..=80 if balance > 0 => Command::WithdrawMoney { amount: spendable(rng) },
        81..=88 if balance > 0 => match new_transfer(transfers) {
            Some(transfer) => Command::TransferMoney { transfer, from: OWNER, to: other, amount: spendable(rng) },
            None => Command::DepositMoney { amount: Cents(500) },
        },
        89..=95 => match (new_transfer(transfers), Money::from_cents(rng.between(100, 20_000) as i64)) {
            (Some(transfer), Ok(amount)) => Command::CreditTransfer { transfer, from: other, amount },
            _ => Command::DepositMoney { amount: Cents(500) },
        },
        96..=97 => match last_transfer_out.take() {
            Some((transfer, amount)) => {
                Command::RefundTransfer { transfer, amount, reason: RefundReason::DestinationClosed }
            }
            None => Command::DepositMoney { amount: Cents(700) },
        },
        98..=100 => match state.reversible_deposit() {
            Some(recent) if state.balance().covers(recent.amount) => {
                Command::ReverseDeposit { deposit: recent.version, reason: "entered twice".to_owned() }
            }
            _ => Command::DepositMoney { amount: Cents(900) },
        },
        _ => Command::DepositMoney { amount: Cents(rng.between(100, 50_000) as i64) },
    }
}


fn new_transfer(transfers: &mut u64) -> Option<TransferId> {
    *transfers += 1;
    TransferId::new(&format!("T{transfers}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn numbers_stay_in_their_range_even_at_the_edges_of_u64() {
        let mut rng = SplitMix64::new(1);
        assert!((0..1000).all(|_| (3..=5).contains(&rng.between(3, 5))));
        assert!((0..1000).all(|_| rng.below(4) < 4));
        let _ = rng.between(0, u64::MAX);
        assert_eq!(rng.between(9, 2), 9, "an empty range gives its low end");
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn histories_are_deterministic_and_valid() {
        let history = account_history(7, 2000);
        assert_eq!(history.len(), 2000);
        assert_eq!(history, account_history(7, 2000));
        assert_ne!(history, account_history(8, 2000));
        let state = fold(Account::default(), &history, evolve);
        assert!(state.is_open() && state.balance().cents() >= 0);
        // Every kind of event shows up.
        for event_type in Event::TYPES.iter().filter(|t| **t != "account-closed") {
            assert!(history.iter().any(|e| e.type_name() == *event_type), "no {event_type} generated");
        }
        assert!(account_history(1, 0).is_empty());
    }
}
