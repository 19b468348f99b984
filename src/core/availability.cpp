#include "core/availability.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "core/holidays.hpp"

namespace vg::core {

namespace {

constexpr Instant seconds_per_day = 86400;
constexpr int minutes_per_day = 1440;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

Instant to_instant(date::sys_seconds t) {
    return t.time_since_epoch().count();
}

// Maps minutes since local midnight of one site day to instants. Asks the tz library once
// per day; only days with an offset change inside ask again per local time.
class DayClock {
  public:
    DayClock(const date::time_zone* zone, LocalDay day)
        : zone_(zone), midnight_(Instant(day) * seconds_per_day) {
        const auto li = zone_->get_info(date::local_seconds{std::chrono::seconds{midnight_}});
        if (li.result != date::local_info::unique) return;
        offset_ = li.first.offset.count();
        // Uniform when the next local midnight is still within the same offset period.
        uniform_ = midnight_ + seconds_per_day - offset_ <= to_instant(li.first.end);
    }

    // Instant of a slot start; nullopt for a local time skipped by a spring-forward gap.
    // An ambiguous local time (fall back) takes the earliest instant.
    std::optional<Instant> start_at(int minute) const {
        if (uniform_) return local(minute) - offset_;
        const auto li = info_at(minute);
        if (li.result == date::local_info::nonexistent) return std::nullopt;
        return local(minute) - li.first.offset.count();
    }

    // Instant of an interval bound: a skipped local time maps to the transition itself, so
    // an interval keeps its existing part; an ambiguous one takes the earliest instant.
    Instant bound_at(int minute) const {
        if (uniform_) return local(minute) - offset_;
        const auto li = info_at(minute);
        if (li.result == date::local_info::nonexistent) return to_instant(li.first.end);
        return local(minute) - li.first.offset.count();
    }

  private:
    Instant local(int minute) const { return midnight_ + Instant(minute) * 60; }
    date::local_info info_at(int minute) const {
        return zone_->get_info(date::local_seconds{std::chrono::seconds{local(minute)}});
    }

    const date::time_zone* zone_;
    Instant midnight_;  // local seconds at 00:00
    Instant offset_ = 0;
    bool uniform_ = false;  // one UTC offset from 00:00 to 24:00
};

// Dense numbering (in id order) of the agents that have a usable opening plan. Looked up
// once per busy interval, so a direct table is used when ids are compact, as database ids
// usually are; sparse ids fall back to a binary search.
class AgentIndex {
  public:
    void add(Id agent) { ids_.push_back(agent); }
    void freeze() {
        std::sort(ids_.begin(), ids_.end());
        ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
        if (ids_.empty()) return;
        lo_ = ids_.front();
        hi_ = ids_.back();
        const std::uint64_t span = std::uint64_t(hi_) - std::uint64_t(lo_);
        if (span >= 64 * ids_.size() + 4096) return;
        table_.assign(std::size_t(span) + 1, -1);
        for (std::size_t i = 0; i < ids_.size(); ++i) table_[offset(ids_[i])] = std::int32_t(i);
    }
    std::size_t size() const { return ids_.size(); }
    Id id(std::uint32_t index) const { return ids_[index]; }
    // Dense index, or -1 when the agent has no usable plan.
    std::int32_t find(Id agent) const {
        if (ids_.empty() || agent < lo_ || agent > hi_) return -1;
        if (!table_.empty()) return table_[offset(agent)];
        const auto it = std::lower_bound(ids_.begin(), ids_.end(), agent);
        return *it == agent ? std::int32_t(it - ids_.begin()) : -1;
    }

  private:
    std::size_t offset(Id agent) const {
        return std::size_t(std::uint64_t(agent) - std::uint64_t(lo_));
    }

    std::vector<Id> ids_;
    Id lo_ = 0;
    Id hi_ = 0;
    std::vector<std::int32_t> table_;  // agent id - lo_ -> dense index or -1
};

struct Blocked {
    std::int32_t agent = 0;
    Instant start = 0;
    Instant end = 0;
};

// Per-agent intervals that forbid a slot, sorted by start with a running maximum of ends:
// one binary search tells whether any interval overlaps [s, e), even if they overlap.
class BlockIndex {
  public:
    void build(const std::vector<Blocked>& items, std::size_t agent_count) {
        // Counting sort by agent, then a small sort by start within each agent.
        first_.assign(agent_count + 1, 0);
        for (const auto& b : items) ++first_[std::size_t(b.agent) + 1];
        for (std::size_t a = 0; a < agent_count; ++a) first_[a + 1] += first_[a];
        std::vector<Interval> spans(items.size());
        std::vector<std::uint32_t> next(first_.begin(), first_.end() - 1);
        for (const auto& b : items) spans[next[std::size_t(b.agent)]++] = {b.start, b.end};
        starts_.resize(spans.size());
        max_ends_.resize(spans.size());
        for (std::size_t a = 0; a < agent_count; ++a) {
            const auto begin = spans.begin() + first_[a], end = spans.begin() + first_[a + 1];
            std::sort(begin, end,
                      [](const Interval& x, const Interval& y) { return x.start < y.start; });
            Instant max_end = std::numeric_limits<Instant>::min();
            for (std::size_t i = first_[a]; i < first_[a + 1]; ++i) {
                max_end = std::max(max_end, spans[i].end);
                starts_[i] = spans[i].start;
                max_ends_[i] = max_end;
            }
        }
    }

    bool overlaps(std::int32_t agent, Instant s, Instant e) const {
        const auto begin = starts_.begin() + first_[std::size_t(agent)];
        const auto end = starts_.begin() + first_[std::size_t(agent) + 1];
        const auto it = std::lower_bound(begin, end, e);  // first interval starting at/after e
        if (it == begin) return false;
        return max_ends_[std::size_t(it - starts_.begin()) - 1] > s;
    }

  private:
    std::vector<std::uint32_t> first_;  // agent -> first position, agent_count + 1 entries
    std::vector<Instant> starts_;
    std::vector<Instant> max_ends_;
};

struct PlanRef {
    std::uint32_t site = 0;  // dense site index (site id order)
    std::int32_t agent = 0;  // dense agent index (agent id order)
    const OpeningPlan* plan = nullptr;
};

struct RecurringRef {
    std::int32_t agent = 0;
    const WeeklyRule* rule = nullptr;
};

// A free (start, site, agent) triple; dense indexes sort like the ids they stand for.
struct Candidate {
    Instant start = 0;
    std::uint32_t site = 0;
    std::uint32_t agent = 0;
    std::uint64_t key() const { return (std::uint64_t(site) << 32) | agent; }
    friend bool operator<(const Candidate& a, const Candidate& b) {
        return a.start != b.start ? a.start < b.start : a.key() < b.key();
    }
    friend bool operator==(const Candidate& a, const Candidate& b) {
        return a.start == b.start && a.key() == b.key();
    }
};

bool serves(const OpeningPlan& p, const AvailabilityInput& in) {
    if (in.agent && p.agent_id != *in.agent) return false;
    if ((p.channels & channel_bit(in.channel)) == 0) return false;
    return p.motif_ids.empty() ||
           std::find(p.motif_ids.begin(), p.motif_ids.end(), in.motif.id) != p.motif_ids.end();
}

// Usable sites (restriction applied) in id order; the first calendar of an id wins.
std::vector<const SiteCalendar*> usable_sites(const AvailabilityInput& in) {
    std::vector<const SiteCalendar*> out;
    for (const auto& s : in.sites)
        if (s.zone != nullptr && (!in.site || s.site_id == *in.site)) out.push_back(&s);
    auto by_id = [](const SiteCalendar* a, const SiteCalendar* b) {
        return a->site_id < b->site_id;
    };
    std::stable_sort(out.begin(), out.end(), by_id);
    out.erase(std::unique(out.begin(), out.end(),
                          [](const auto* a, const auto* b) { return a->site_id == b->site_id; }),
              out.end());
    return out;
}

// Dense index of a site id in usable_sites().
std::optional<std::uint32_t> find_site(const std::vector<const SiteCalendar*>& sites, Id id) {
    const auto it = std::lower_bound(sites.begin(), sites.end(), id,
                                     [](const SiteCalendar* s, Id v) { return s->site_id < v; });
    if (it == sites.end() || (*it)->site_id != id) return std::nullopt;
    return std::uint32_t(it - sites.begin());
}

// Everything fixed for one query, prepared once.
struct Query {
    explicit Query(const AvailabilityInput& input) : in(input) {}
    const AvailabilityInput& in;
    Instant duration = 0;  // seconds
    Instant buffer = 0;    // seconds
    int step_minutes = 0;
    Instant earliest = 0;  // first allowed start
    Instant latest = 0;    // last allowed start
    LocalDay first_day = 0;
    LocalDay last_day = 0;
    std::vector<const SiteCalendar*> sites;  // dense site index -> calendar
    AgentIndex agents;
    std::vector<PlanRef> plans;           // sorted by site
    BlockIndex blocks;                    // busy (with buffers) and one-off absences
    std::vector<RecurringRef> recurring;  // sorted by agent
};

void select_plans(Query& q) {
    q.sites = usable_sites(q.in);
    for (const auto& p : q.in.plans) {
        if (!serves(p, q.in)) continue;
        const auto site = find_site(q.sites, p.site_id);
        if (!site) continue;
        q.agents.add(p.agent_id);
        q.plans.push_back({*site, 0, &p});
    }
    q.agents.freeze();
    for (auto& r : q.plans) r.agent = q.agents.find(r.plan->agent_id);
    std::stable_sort(q.plans.begin(), q.plans.end(),
                     [](const PlanRef& a, const PlanRef& b) { return a.site < b.site; });
}

// Calls fn(item, span) for the items whose span(item) meets [lo, hi). Each block of items is
// first tested without branching: the outcome is random and mispredictions dominated the
// scan of 100,000 appointments.
template <class Item, class SpanOf, class Fn>
void for_each_meeting(const std::vector<Item>& items, Instant lo, Instant hi, SpanOf span_of,
                      Fn fn) {
    constexpr std::size_t block = 256;
    std::array<std::uint16_t, block> hits{};
    for (std::size_t base = 0; base < items.size(); base += block) {
        const std::size_t end = std::min(items.size(), base + block);
        std::size_t count = 0;
        for (std::size_t i = base; i < end; ++i) {
            const Interval span = span_of(items[i]);
            hits[count] = std::uint16_t(i - base);
            count += std::size_t((span.end > lo) & (span.start < hi));
        }
        for (std::size_t k = 0; k < count; ++k) {
            const Item& item = items[base + hits[k]];
            fn(item, span_of(item));
        }
    }
}

// Keeps only intervals that can touch a slot of this query, for agents that have plans.
void index_blocks(Query& q) {
    // Local days are within ±1 day of UTC days; two days of margin cover every zone.
    const Instant lo = std::max(q.earliest, (Instant(q.first_day) - 2) * seconds_per_day);
    const Instant hi = std::min(q.latest + q.duration, (Instant(q.last_day) + 3) * seconds_per_day);
    std::vector<Blocked> items;
    auto keep = [&](const auto& item, const Interval& span) {
        const std::int32_t agent = q.agents.find(item.agent_id);
        if (agent >= 0) items.push_back({agent, span.start, span.end});
    };
    // A busy interval widened by the motif's buffer on both sides.
    const Instant buffer = q.buffer;
    for_each_meeting(
        q.in.busy, lo, hi,
        [buffer](const AvailabilityInput::Busy& b) {
            return Interval{b.span.start - buffer, b.span.end + buffer};
        },
        keep);
    for_each_meeting(
        q.in.absences, lo, hi, [](const Absence& a) { return a.span; }, keep);
    q.blocks.build(items, q.agents.size());

    for (const auto& r : q.in.recurring_absences) {
        const std::int32_t agent = q.agents.find(r.agent_id);
        if (agent >= 0) q.recurring.push_back({agent, &r.rule});
    }
    std::stable_sort(
        q.recurring.begin(), q.recurring.end(),
        [](const RecurringRef& a, const RecurringRef& b) { return a.agent < b.agent; });
}

int clamp_minute(int m) {
    return std::clamp(m, 0, minutes_per_day);
}

// Recurring absences of the agent on this local day, as instants. Rules stay within one
// local day (minutes 0..1440) and so do slots, so neighbouring days cannot overlap.
void recurring_blocks(const Query& q, std::int32_t agent, LocalDay day, const DayClock& clock,
                      std::vector<Interval>& out) {
    out.clear();
    auto it = std::lower_bound(q.recurring.begin(), q.recurring.end(), agent,
                               [](const RecurringRef& r, std::int32_t a) { return r.agent < a; });
    for (; it != q.recurring.end() && it->agent == agent; ++it) {
        const WeeklyRule& rule = *it->rule;
        if (!rule.applies_on(day)) continue;
        const Interval span{clock.bound_at(clamp_minute(rule.start_minute)),
                            clock.bound_at(clamp_minute(rule.end_minute))};
        if (span.start < span.end) out.push_back(span);
    }
}

bool overlaps_any(const std::vector<Interval>& spans, const Interval& slot) {
    for (const auto& s : spans)
        if (s.overlaps(slot)) return true;
    return false;
}

// Free starts of one plan on one local day.
void expand_plan(const Query& q, const PlanRef& ref, LocalDay day, const DayClock& clock,
                 std::vector<Interval>& scratch, std::vector<Candidate>& out) {
    const OpeningPlan& plan = *ref.plan;
    const int first = clamp_minute(plan.rule.start_minute);
    const int last = clamp_minute(plan.rule.end_minute);
    const int duration_minutes = int(q.duration / 60);
    if (last - first < duration_minutes) return;
    const Instant plan_end = clock.bound_at(last);
    recurring_blocks(q, ref.agent, day, clock, scratch);
    for (int m = first; m + duration_minutes <= last; m += q.step_minutes) {
        const auto start = clock.start_at(m);
        if (!start) continue;
        const Interval slot{*start, *start + q.duration};
        if (slot.end > plan_end || slot.start < q.earliest) continue;
        if (slot.start > q.latest) break;  // starts only grow within a day
        if (overlaps_any(scratch, slot)) continue;
        if (q.blocks.overlaps(ref.agent, slot.start, slot.end)) continue;
        out.push_back({slot.start, ref.site, std::uint32_t(ref.agent)});
    }
}

// Query days on which at least one of plans[begin, end) may be valid: no walk over days
// outside every plan's validity, however wide the requested range.
std::pair<LocalDay, LocalDay> validity_span(const Query& q, std::size_t begin, std::size_t end) {
    LocalDay first = std::numeric_limits<LocalDay>::max();
    LocalDay last = std::numeric_limits<LocalDay>::min();
    for (std::size_t i = begin; i < end; ++i) {
        const WeeklyRule& rule = q.plans[i].plan->rule;
        first = std::min(first, rule.valid_from);
        last = std::max(last, rule.valid_until.value_or(std::numeric_limits<LocalDay>::max()));
    }
    return {std::max(first, q.first_day), std::min(last, q.last_day)};
}

// Candidates of one site over the query's days, appended sorted; the tz library is asked
// once per day.
void expand_site(const Query& q, std::size_t begin, std::size_t end, std::vector<Interval>& scratch,
                 std::vector<Candidate>& out) {
    const SiteCalendar& site = *q.sites[q.plans[begin].site];
    const std::size_t site_begin = out.size();
    const auto [first, last] = validity_span(q, begin, end);
    // 64-bit counter: last may be the largest LocalDay.
    for (std::int64_t d = first; d <= last; ++d) {
        const LocalDay day = LocalDay(d);
        if (site.holidays.count(day) != 0) continue;
        std::optional<DayClock> clock;
        const std::size_t day_begin = out.size();
        for (std::size_t i = begin; i < end; ++i) {
            if (!q.plans[i].plan->rule.applies_on(day)) continue;
            if (!clock) clock.emplace(site.zone, day);
            expand_plan(q, q.plans[i], day, *clock, scratch, out);
        }
        // Plans of one day interleave; whole days follow each other in time.
        std::sort(out.begin() + std::ptrdiff_t(day_begin), out.end());
    }
    // Cheap guard for the day-order assumption above.
    if (!std::is_sorted(out.begin() + std::ptrdiff_t(site_begin), out.end()))
        std::sort(out.begin() + std::ptrdiff_t(site_begin), out.end());
}

// Merges sorted runs [runs[i], runs[i + 1]) pairwise, ping-ponging between two buffers,
// until one sorted sequence remains: cheaper than sorting everything again.
void merge_runs(std::vector<Candidate>& items, std::vector<std::size_t> runs) {
    std::vector<Candidate> other(items.size());
    while (runs.size() > 2) {
        std::vector<std::size_t> merged{0};
        for (std::size_t i = 0; i + 1 < runs.size(); i += 2) {
            const auto at = [&](std::size_t k) { return items.begin() + std::ptrdiff_t(runs[k]); };
            const auto out = other.begin() + std::ptrdiff_t(runs[i]);
            if (i + 2 < runs.size()) {
                std::merge(at(i), at(i + 1), at(i + 1), at(i + 2), out);
                merged.push_back(runs[i + 2]);
            } else {
                std::copy(at(i), at(i + 1), out);  // odd run out
                merged.push_back(runs[i + 1]);
            }
        }
        items.swap(other);
        runs.swap(merged);
    }
}

// One Slot per (start, site) from sorted candidates, agents ascending and unique.
std::vector<Slot> group(const Query& q, std::vector<Candidate>& candidates) {
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::size_t groups = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        groups += i == 0 || candidates[i].start != candidates[i - 1].start ||
                  candidates[i].site != candidates[i - 1].site;
    std::vector<Slot> slots;
    slots.reserve(groups);
    for (std::size_t i = 0; i < candidates.size();) {
        const Candidate& head = candidates[i];
        std::size_t j = i;
        while (j < candidates.size() && candidates[j].start == head.start &&
               candidates[j].site == head.site)
            ++j;
        Slot& slot = slots.emplace_back();
        slot.start = head.start;
        slot.end = head.start + q.duration;
        slot.site_id = q.sites[head.site]->site_id;
        slot.agents.reserve(j - i);
        for (; i < j; ++i) slot.agents.push_back(q.agents.id(candidates[i].agent));
    }
    return slots;
}

}  // namespace

SiteCalendar site_calendar(Id site_id, const date::time_zone* zone, std::string_view region,
                           LocalDay from, LocalDay to) {
    SiteCalendar cal;
    cal.site_id = site_id;
    cal.zone = zone;
    auto r = parse_holiday_region(region).value_or(HolidayRegion::none);
    for (auto& h : holidays_between(r, from - 1, to + 1)) cal.holidays.insert(h.day);
    return cal;
}

namespace {

// Length of the union of spans minus the union of holes.
Instant measure(std::vector<Interval> spans, std::vector<Interval> holes) {
    auto merge = [](std::vector<Interval>& v) {
        std::sort(v.begin(), v.end(),
                  [](const Interval& a, const Interval& b) { return a.start < b.start; });
        std::vector<Interval> out;
        for (auto& x : v) {
            if (!out.empty() && x.start <= out.back().end)
                out.back().end = std::max(out.back().end, x.end);
            else
                out.push_back(x);
        }
        v.swap(out);
    };
    merge(spans);
    merge(holes);
    Instant total = 0;
    std::size_t h = 0;
    for (auto& s : spans) {
        total += s.end - s.start;
        while (h < holes.size() && holes[h].end <= s.start) ++h;
        for (std::size_t k = h; k < holes.size() && holes[k].start < s.end; ++k)
            total -= std::min(s.end, holes[k].end) - std::max(s.start, holes[k].start);
    }
    return total;
}

}  // namespace

std::map<Id, Instant> offered_seconds(const AvailabilityInput& in) {
    const auto sites = usable_sites(in);
    // The plans of each usable site: the tz library is asked once per site and day.
    std::vector<std::vector<const OpeningPlan*>> by_site(sites.size());
    for (const auto& p : in.plans) {
        if (in.agent && p.agent_id != *in.agent) continue;
        if (const auto site = find_site(sites, p.site_id)) by_site[*site].push_back(&p);
    }
    std::map<Id, std::vector<const WeeklyRule*>> recurring;
    for (const auto& r : in.recurring_absences) recurring[r.agent_id].push_back(&r.rule);
    std::map<Id, std::vector<Interval>> open, closed;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const SiteCalendar& cal = *sites[i];
        for (std::int64_t d = in.from; d <= in.to; ++d) {
            const LocalDay day = LocalDay(d);
            if (cal.holidays.count(day) != 0) continue;
            std::optional<DayClock> clock;
            for (const OpeningPlan* p : by_site[i]) {
                if (!p->rule.applies_on(day)) continue;
                if (!clock) clock.emplace(cal.zone, day);
                const Interval span{clock->bound_at(clamp_minute(p->rule.start_minute)),
                                    clock->bound_at(clamp_minute(p->rule.end_minute))};
                if (span.start >= span.end) continue;
                open[p->agent_id].push_back(span);
                // Recurring absences are local rules: read in this site's zone, this day.
                const auto rules = recurring.find(p->agent_id);
                if (rules == recurring.end()) continue;
                for (const WeeklyRule* r : rules->second)
                    if (r->applies_on(day)) {
                        const Interval hole{clock->bound_at(clamp_minute(r->start_minute)),
                                            clock->bound_at(clamp_minute(r->end_minute))};
                        if (hole.start < hole.end) closed[p->agent_id].push_back(hole);
                    }
            }
        }
    }
    for (const auto& a : in.absences)
        if (open.count(a.agent_id) != 0 && a.span.start < a.span.end)
            closed[a.agent_id].push_back(a.span);
    std::map<Id, Instant> out;
    for (auto& [agent, spans] : open) out[agent] = measure(spans, closed[agent]);
    return out;
}

std::vector<Slot> compute_slots(const AvailabilityInput& in) {
    const Motif& motif = in.motif;
    if (motif.duration_minutes <= 0 || (motif.channels & channel_bit(in.channel)) == 0) return {};
    if (in.from > in.to) return {};

    Query q{in};
    q.duration = Instant(motif.duration_minutes) * 60;
    q.buffer = Instant(std::max(motif.buffer_minutes, 0)) * 60;
    // Any step beyond a day gives one slot per plan and day; clamping avoids int overflow.
    q.step_minutes = int(std::min<std::int64_t>(
        std::int64_t(motif.duration_minutes) + std::max(motif.buffer_minutes, 0),
        minutes_per_day + 1));
    q.earliest = in.now + Instant(motif.min_lead_minutes) * 60;
    q.latest = in.now + Instant(motif.horizon_days) * seconds_per_day;
    if (q.latest < q.earliest) return {};
    // Only days that can hold an allowed start: a local day is within ±1 day of its UTC day.
    q.first_day =
        LocalDay(std::max<std::int64_t>(in.from, floor_div(q.earliest, seconds_per_day) - 2));
    q.last_day = LocalDay(std::min<std::int64_t>(in.to, floor_div(q.latest, seconds_per_day) + 2));
    if (q.first_day > q.last_day) return {};

    select_plans(q);
    if (q.plans.empty()) return {};
    index_blocks(q);

    std::vector<Candidate> candidates;
    std::vector<Interval> scratch;
    std::vector<std::size_t> runs{0};  // one sorted run per site
    for (std::size_t begin = 0; begin < q.plans.size();) {
        std::size_t end = begin;
        while (end < q.plans.size() && q.plans[end].site == q.plans[begin].site) ++end;
        expand_site(q, begin, end, scratch, candidates);
        runs.push_back(candidates.size());
        begin = end;
    }
    merge_runs(candidates, std::move(runs));
    return group(q, candidates);
}

}  // namespace vg::core
