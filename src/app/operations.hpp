// What an operator watches (docs/OPERATIONS.md): the readiness of the process (/readyz) and
// the values /metrics reads at each scrape (outbox, database files, disk, process).
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "ops/metrics.hpp"
#include "store/store.hpp"

namespace vg::app {

struct OperationsSettings {
    std::string db_path;
    // /readyz fails when the oldest due message has waited longer (seconds; 0: never).
    core::Instant outbox_max_age = 1800;
    // /readyz fails when less of the database's file system is free (percent; 0: never).
    double min_free_disk_percent = 2;
};

class Operations {
  public:
    Operations(store::Store& store, const core::Clock& clock, OperationsSettings settings);
    // The outbox's queue, read at most every few seconds (readiness probes and scrapes come
    // often; the figures need not be fresher).
    store::OutboxStats outbox();
    // Why the process should not be sent traffic (database, stuck outbox, disk nearly full);
    // nullopt when ready.
    std::optional<std::string> not_ready();
    // Writes the families read at each scrape (register with ops::Metrics::add_collector).
    void collect(ops::Writer& w);

  private:
    store::Store& store_;
    const core::Clock& clock_;
    OperationsSettings settings_;
    std::mutex mutex_;
    std::optional<core::Instant> read_at_;
    store::OutboxStats outbox_;
};

}  // namespace vg::app
