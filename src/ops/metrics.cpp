#include "ops/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace vg::ops {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
    auto i = std::size_t(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
    std::vector<std::uint64_t> out;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        total += buckets_[i].load(std::memory_order_relaxed);
        out.push_back(total);
    }
    return out;
}

namespace {

void escape_into(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v)) return "NaN";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", (long long)v);
    return fmt::format("{}", v);
}

}  // namespace

void Writer::family(std::string_view name, std::string_view help, std::string_view type) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Writer::sample(std::string_view name, const Labels& labels, double value) {
    out_ += name;
    if (!labels.empty()) {
        out_ += '{';
        bool first = true;
        for (auto& [k, v] : labels) {
            if (!first) out_ += ',';
            first = false;
            out_ += k;
            out_ += "=\"";
            escape_into(out_, v);
            out_ += '"';
        }
        out_ += '}';
    }
    out_ += ' ';
    out_ += number(value);
    out_ += '\n';
}

void Writer::histogram(std::string_view name, const Labels& labels, const Histogram& h) {
    auto counts = h.cumulative();
    std::string bucket = std::string(name) + "_bucket";
    for (std::size_t i = 0; i < counts.size(); ++i) {
        auto l = labels;
        l.emplace_back("le", i < h.bounds().size() ? number(h.bounds()[i]) : "+Inf");
        sample(bucket, l, double(counts[i]));
    }
    sample(std::string(name) + "_sum", labels, h.sum());
    sample(std::string(name) + "_count", labels, double(counts.back()));
}

template <class T>
Family<T>::Family(std::vector<std::string> label_names, Make make)
    : names_(std::move(label_names)), make_(std::move(make)) {
    for (auto& n : names_) overflow_.labels.emplace_back(n, "other");
    overflow_.value = make_();
}

template <class T>
Family<T>::~Family() {
    for (auto& s : slots_) delete s.load();
}

template <class T>
T& Family<T>::at(const std::vector<std::string_view>& values) {
    std::string key;
    for (auto v : values) {
        key += v;
        key += '\x1f';
    }
    return *find_or_add(std::move(key), values)->value;
}

template <class T>
typename Family<T>::Entry* Family<T>::find_or_add(std::string key,
                                                  const std::vector<std::string_view>& values) {
    auto start = std::hash<std::string>{}(key) % kSlots;
    // Probe at most half the table: beyond, the table is too full to be worth it.
    for (std::size_t i = 0; i < kSlots / 2; ++i) {
        auto& slot = slots_[(start + i) % kSlots];
        auto* e = slot.load(std::memory_order_acquire);
        if (!e) {
            auto fresh = std::make_unique<Entry>();
            fresh->key = key;
            for (std::size_t n = 0; n < names_.size(); ++n)
                fresh->labels.emplace_back(names_[n],
                                           n < values.size() ? std::string(values[n]) : "");
            fresh->value = make_();
            Entry* expected = nullptr;
            if (slot.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel))
                return fresh.release();
            e = expected;  // another thread filled it meanwhile
        }
        if (e->key == key) return e;
    }
    // The table is full: every new label set counts in the one series labelled "other".
    overflow_used_.store(true, std::memory_order_relaxed);
    return &overflow_;
}

template <class T>
void Family<T>::each(const std::function<void(const Labels&, const T&)>& f) const {
    for (auto& s : slots_)
        if (auto* e = s.load(std::memory_order_acquire)) f(e->labels, *e->value);
    if (overflow_used_.load(std::memory_order_relaxed)) f(overflow_.labels, *overflow_.value);
}

namespace {
std::vector<double> latency_bounds() {
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
}  // namespace

Metrics::Metrics()
    : commit_batch({1, 2, 4, 8, 16, 32, 64, 128, 256}),
      requests_({"method", "route", "status"}, [] { return std::make_unique<Counter>(); }),
      request_seconds_({"method", "route"},
                       [] { return std::make_unique<Histogram>(latency_bounds()); }) {}

void Metrics::request(std::string_view method, std::string_view route, int status, double seconds) {
    // Unknown methods would make a series each: they count as "other".
    static constexpr std::string_view known[] = {"GET",    "HEAD",  "POST",   "PUT",
                                                 "DELETE", "PATCH", "OPTIONS"};
    if (std::find(std::begin(known), std::end(known), method) == std::end(known)) method = "other";
    if (route.empty()) route = "-";
    auto status_text = std::to_string(status);
    requests_.at({method, route, status_text}).inc();
    request_seconds_.at({method, route}).observe(seconds);
}

void Metrics::add_collector(std::function<void(Writer&)> f) {
    std::lock_guard lock(collectors_mutex_);
    collectors_.push_back(std::move(f));
}

std::string Metrics::render() {
    Writer w;
    w.family("vg_http_requests_total", "HTTP requests answered, by route pattern and status",
             "counter");
    requests_.each([&](const Labels& l, const Counter& c) {
        w.sample("vg_http_requests_total", l, double(c.value()));
    });
    w.family("vg_http_request_duration_seconds", "Time from a request read to its answer ready",
             "histogram");
    request_seconds_.each([&](const Labels& l, const Histogram& h) {
        w.histogram("vg_http_request_duration_seconds", l, h);
    });
    w.family("vg_bookings_total", "Appointments booked (replays of a booking not counted)",
             "counter");
    w.sample("vg_bookings_total", double(bookings.value()));
    w.family("vg_cancellations_total", "Appointments cancelled, by who cancelled", "counter");
    w.sample("vg_cancellations_total", {{"by", "citizen"}},
             double(cancellations_by_citizen.value()));
    w.sample("vg_cancellations_total", {{"by", "agency"}}, double(cancellations_by_agency.value()));
    w.family("vg_slot_searches_total", "Searches of free slots", "counter");
    w.sample("vg_slot_searches_total", double(slot_searches.value()));
    w.family("vg_store_commit_batch_size", "Units of work committed together (group commit)",
             "histogram");
    w.histogram("vg_store_commit_batch_size", {}, commit_batch);
    std::lock_guard lock(collectors_mutex_);
    for (auto& c : collectors_) c(w);
    return std::move(w.text());
}

Metrics& metrics() {
    static Metrics m;
    return m;
}

template class Family<Counter>;
template class Family<Histogram>;

}  // namespace vg::ops
