// Sends the outbox after commit: leases due messages, composes, sends, records. Retries with
// exponential back-off for up to a day, then keeps the message as dead (replayable).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notify/composer.hpp"
#include "notify/smtp.hpp"
#include "store/store.hpp"

namespace vg::app {
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
    int sms_per_number_per_day = 10;
    std::string message_id_domain = "visioguichet";
};

struct WorkerStats {
    std::atomic<long> sent{0}, retried{0}, dead{0}, skipped{0};
};

class OutboxWorker {
  public:
    OutboxWorker(store::Store& db, const Composer& composer, const app::Sealer* sealer,
                 SmtpSettings smtp, WorkerOptions options);
    ~OutboxWorker();
    void start();
    void stop();
    // A change was committed: look now rather than at the next tick.
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
};

}  // namespace vg::notify
