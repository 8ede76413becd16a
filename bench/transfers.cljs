;; The benchmark's peer: the transfer exercise's per-account reduce, in Clojure, run by nbb (the
;; same SCI interpreter the original lesson ran in the browser through scittle). Reads the events
;; the Rhai worker folded, folds them `runs` times, prints each time and the balances as JSON.
(ns transfers
  (:require ["node:fs" :as fs]))

(defn evolve [state event]
  (case (:type event)
    "account-opened" (assoc state :open true)
    "money-deposited" (update state :balance + (:amount event))
    "money-withdrawn" (update state :balance - (:amount event))
    "money-transferred-out" (update state :balance - (:amount event))
    "money-transferred-in" (update state :balance + (:amount event))
    "account-closed" (assoc state :open false :closed true)
    state))

(defn balances [events]
  (let [states (reduce (fn [states event]
                         (update states (:account event) #(evolve (or % {:open false :closed false :balance 0}) event)))
                       {}
                       events)]
    (update-vals states :balance)))

(let [[path runs] *command-line-args*
      events (js->clj (js/JSON.parse (fs/readFileSync path "utf8")) :keywordize-keys true)
      runs (js/parseInt (or runs "5"))
      timed (fn [] (let [start (js/performance.now)
                         result (balances events)]
                     [(- (js/performance.now) start) result]))
      results (repeatedly runs timed)]
  (println (js/JSON.stringify (clj->js {:millis (mapv first results) :result (second (last results))}))))
