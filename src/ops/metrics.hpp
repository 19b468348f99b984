// The process's metrics, rendered in the Prometheus text format (GET /metrics on
// `serve --metrics-listen`, docs/OPERATIONS.md). Counting is lock-free (relaxed atomics, and
// a fixed table of label sets filled by compare-and-swap), so that every request, booking and
// commit may count without a lock; only rendering and registering collectors take one.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vg::ops {

class Counter {
  public:
    void inc(std::uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> v_{0};
};

class Histogram {
  public:
    // Upper bounds, ascending (the +Inf bucket is implied).
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);
    const std::vector<double>& bounds() const { return bounds_; }
    // Cumulative counts per bound, then +Inf (= count).
    std::vector<std::uint64_t> cumulative() const;
    double sum() const { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
    std::atomic<double> sum_{0};
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// `name{labels} value` lines are written through this (escaping label values).
class Writer {
  public:
    // # HELP and # TYPE, once per family.
    void family(std::string_view name, std::string_view help, std::string_view type);
    void sample(std::string_view name, const Labels& labels, double value);
    void sample(std::string_view name, double value) { sample(name, {}, value); }
    void histogram(std::string_view name, const Labels& labels, const Histogram& h);
    std::string& text() { return out_; }

  private:
    std::string out_;
};

// Series of one family keyed by their label values, created on first use. At most kSlots
// label sets (a probe looks at half of them); beyond, every new one counts in the series
// whose labels are all "other".
template <class T>
class Family {
  public:
    static constexpr std::size_t kSlots = 4096;
    using Make = std::function<std::unique_ptr<T>()>;
    Family(std::vector<std::string> label_names, Make make);
    ~Family();
    T& at(const std::vector<std::string_view>& values);
    // Every series made so far, in no particular order.
    void each(const std::function<void(const Labels&, const T&)>& f) const;

  private:
    struct Entry {
        std::string key;
        Labels labels;
        std::unique_ptr<T> value;
    };
    std::vector<std::string> names_;
    Make make_;
    std::array<std::atomic<Entry*>, kSlots> slots_{};
    Entry overflow_;
    std::atomic<bool> overflow_used_{false};
    Entry* find_or_add(std::string key, const std::vector<std::string_view>& values);
};

// The registry of the process.
class Metrics {
  public:
    Metrics();
    // HTTP, counted by the server where it writes the access log (route pattern, never the
    // path: paths carry tokens).
    void request(std::string_view method, std::string_view route, int status, double seconds);
    Counter bookings;
    Counter cancellations_by_citizen;
    Counter cancellations_by_agency;
    Counter slot_searches;
    // Units of work per group commit (store::SqliteStore::write).
    Histogram commit_batch;

    // Values read at each scrape (outbox, files, process; later WebSocket connections and
    // rooms): `f` writes its families. Register at start.
    void add_collector(std::function<void(Writer&)> f);
    std::string render();

  private:
    Family<Counter> requests_;
    Family<Histogram> request_seconds_;
    std::mutex collectors_mutex_;
    std::vector<std::function<void(Writer&)>> collectors_;
};

Metrics& metrics();

}  // namespace vg::ops
