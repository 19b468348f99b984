#include "app/operations.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "ops/process.hpp"

namespace vg::app {

namespace {
constexpr core::Instant kOutboxRefresh = 5;  // seconds

std::string folder_of(const std::string& path) {
    auto dir = std::filesystem::path(path).parent_path();
    return dir.empty() ? "." : dir.string();
}
}  // namespace

Operations::Operations(store::Store& store, const core::Clock& clock, OperationsSettings settings)
    : store_(store), clock_(clock), settings_(std::move(settings)) {}

store::OutboxStats Operations::outbox() {
    std::lock_guard lock(mutex_);
    auto now = clock_.now();
    if (!read_at_ || now - *read_at_ >= kOutboxRefresh || now < *read_at_) {
        store_.read([&](store::Session& s) { outbox_ = s.outbox_stats(now); });
        read_at_ = now;
    }
    return outbox_;
}

std::optional<std::string> Operations::not_ready() {
    if (!store_.ready()) return "database unavailable";
    if (settings_.outbox_max_age > 0) {
        auto o = outbox();
        auto waited = o.oldest_due ? clock_.now() - *o.oldest_due : 0;
        if (waited > settings_.outbox_max_age)
            return fmt::format(
                "outbox stuck: the oldest due message has waited {} s (limit {} s: "
                "--ready-outbox-max-age)",
                waited, settings_.outbox_max_age);
    }
    if (settings_.min_free_disk_percent > 0) {
        if (auto d = ops::disk_space(folder_of(settings_.db_path)); d && d->total_bytes > 0) {
            double free = 100.0 * double(d->available_bytes) / double(d->total_bytes);
            if (free < settings_.min_free_disk_percent)
                return fmt::format(
                    "disk nearly full: {:.1f} % free where the database is (limit {} %: "
                    "--ready-min-free-disk)",
                    free, settings_.min_free_disk_percent);
        }
    }
    return std::nullopt;
}

void Operations::collect(ops::Writer& w) {
    auto o = outbox();
    w.family("vg_outbox_messages",
             "Messages not sent yet by status (pending and sending: the due queue; deferred: "
             "due more than two hours later), and dead letters",
             "gauge");
    w.sample("vg_outbox_messages", {{"status", "pending"}}, double(o.pending));
    w.sample("vg_outbox_messages", {{"status", "sending"}}, double(o.sending));
    w.sample("vg_outbox_messages", {{"status", "deferred"}}, double(o.deferred));
    w.sample("vg_outbox_messages", {{"status", "dead"}}, double(o.dead));
    w.family("vg_outbox_oldest_due_age_seconds",
             "How long the oldest due message not sent yet has waited (0: none)", "gauge");
    w.sample("vg_outbox_oldest_due_age_seconds",
             o.oldest_due ? double(std::max<core::Instant>(0, clock_.now() - *o.oldest_due)) : 0);
    w.family("vg_database_size_bytes", "Size of the database file", "gauge");
    w.sample("vg_database_size_bytes", double(ops::file_size(settings_.db_path)));
    w.family("vg_database_wal_size_bytes", "Size of the database's write-ahead log", "gauge");
    w.sample("vg_database_wal_size_bytes", double(ops::file_size(settings_.db_path + "-wal")));
    if (auto d = ops::disk_space(folder_of(settings_.db_path))) {
        w.family("vg_disk_available_bytes", "Free space of the database's file system", "gauge");
        w.sample("vg_disk_available_bytes", double(d->available_bytes));
        w.family("vg_disk_size_bytes", "Size of the database's file system", "gauge");
        w.sample("vg_disk_size_bytes", double(d->total_bytes));
    }
    auto p = ops::process_stats();
    w.family("process_resident_memory_bytes", "Resident memory (VmRSS)", "gauge");
    w.sample("process_resident_memory_bytes", double(p.resident_bytes));
    w.family("process_open_fds", "Open file descriptors", "gauge");
    w.sample("process_open_fds", double(p.open_files));
    if (p.max_open_files) {
        w.family("process_max_fds", "The open-files limit", "gauge");
        w.sample("process_max_fds", double(p.max_open_files));
    }
}

}  // namespace vg::app
