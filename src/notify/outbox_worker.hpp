// Sends the outbox after commit: leases due messages, composes, sends, records. Retries with
// exponential back-off for up to a day, then keeps the message as dead (replayable). Whatever
// goes wrong with one message (bad payload, template error, anything thrown) counts as an
// attempt of that message: nothing is retried forever, nothing is dropped silently.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notify/composer.hpp"
#include "notify/smtp.hpp"
#include "store/store.hpp"

namespace vg::store {
class Sealer;
}

namespace vg::notify {

struct WorkerOptions {
    int threads = 2;
    int batch = 20;
    core::Instant lease_seconds = 120;    // a crashed sender's messages come back after this
    core::Instant give_up_after = 86400;  // then the message is dead
    core::Instant first_retry = 30;       // seconds; doubles each attempt, capped
    core::Instant max_retry = 3600;
    // Counted over the SMS sent to a number (store: sms_sends), by every sender of the
    // database; a message held back by it is dead with its reason (replayable).
    int sms_per_number_per_day = 10;
    // A thank-you waits this long after the end for the agent to record the outcome; it goes
    // only after an appointment recorded as held (BookingService::record_outcome).
    core::Instant thank_you_waits_for_outcome = 2 * 86400;
    // Idle, a sender only reads (is anything due?) and sleeps until the next message is due,
    // at most this long: wake() brings it at once when this process queues a message; the
    // poll finds what other processes queued.
    std::chrono::milliseconds idle_poll{30000};
    const core::Clock* clock = nullptr;  // the wall clock when null
};

struct WorkerStats {
    std::atomic<long> sent{0}, retried{0}, dead{0}, skipped{0};
    std::atomic<long> passes{0};  // process_due calls of the sending threads
};

class OutboxWorker {
  public:
    OutboxWorker(store::Store& db, const Composer& composer, const store::Sealer* sealer,
                 SmtpSettings smtp, WorkerOptions options);
    ~OutboxWorker();
    void start();
    void stop();
    // A change that queued messages was committed: look now rather than at the next poll.
    void wake();
    // Processes one batch of due messages; returns how many were handled.
    int process_due(core::Instant now);
    const WorkerStats& stats() const { return stats_; }

  private:
    void loop();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    WorkerStats stats_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::uint64_t wakes_ = 0;  // under mutex_: a wake during a pass is not lost
};

}  // namespace vg::notify
