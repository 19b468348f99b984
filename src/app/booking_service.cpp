#include "app/booking_service.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "app/message_plan.hpp"
#include "app/room_service.hpp"
#include "app/tokens.hpp"
#include "core/holidays.hpp"
#include "core/phone.hpp"
#include "core/timefmt.hpp"
#include "ops/metrics.hpp"
#include "store/secrets.hpp"

namespace vg::app {

using nlohmann::json;
using store::AppointmentStatus;

namespace {

bool site_matches(const store::Site& site, const SlotQuery& q) {
    if (q.site_id) return site.id == *q.site_id;
    // Video "from home" is served from the agencies; a partner site hosts the citizen only
    // when chosen explicitly.
    return !(q.channel == core::Channel::video && site.is_partner);
}

core::SiteCalendar calendar(const OrgData& org, const store::Site& site, LocalDay from,
                            LocalDay to) {
    return core::site_calendar(
        site.id, org.zone(site),
        site.holiday_region.empty() ? org.org.holiday_region : site.holiday_region, from, to);
}

// Sites closed for a day (supervision) take no on-site appointment that day: the day is a
// holiday of the site for this channel only. The organisation's closed days (administration)
// are holidays of their site (site 0: every site) for every channel.
void close_sites(core::AvailabilityInput& in, const store::AvailabilityData& d) {
    for (auto& c : d.closures) {
        if (!c.every_channel && in.channel != core::Channel::on_site) continue;
        for (auto& cal : in.sites)
            if (c.site_id == 0 || cal.site_id == c.site_id) cal.holidays.insert(c.day);
    }
}

// Whether the site is closed for this channel on the local day of `start`, read in `s`
// (a booking's write transaction): the supervisors' closures and the administration's
// closed days, by the rule of the slot search (close_sites).
bool site_closed(store::Session& s, const OrgData& org, Id site_id, core::Channel channel,
                 Instant start) {
    auto site = org.site(site_id);
    if (!site) return false;
    core::AvailabilityInput in;
    in.channel = channel;
    in.sites.push_back({site_id, org.zone(*site), {}});
    auto day = core::local_day_of(start, in.sites.front().zone);
    store::AvailabilityData d;
    d.closures = s.site_closures(org.org.id, day, day);
    for (auto& c : s.closed_days(org.org.id, day))
        if (c.first_day <= day)
            d.closures.push_back(
                {0, org.org.id, c.site_id.value_or(0), day, c.label, c.created_by, 0, true});
    close_sites(in, d);
    return in.sites.front().holidays.count(day) != 0;
}

}  // namespace

const store::Site* OrgData::site(Id id) const {
    for (auto& s : sites)
        if (s.id == id) return &s;
    return nullptr;
}
const store::Motif* OrgData::motif(Id id) const {
    for (auto& m : motifs)
        if (m.id == id) return &m;
    return nullptr;
}
const store::Motif* OrgData::public_motif(Id id) const {
    auto m = motif(id);
    return m && m->is_public ? m : nullptr;
}
const date::time_zone* OrgData::zone(const store::Site& s) const {
    return core::zone_or_default(s.time_zone);
}
const date::time_zone* OrgData::default_zone() const {
    return core::zone_or_default(org.default_time_zone);
}

namespace {

std::string phone_region_of(const OrgData& org, const store::Site* site) {
    const auto& code =
        site && !site->holiday_region.empty() ? site->holiday_region : org.org.holiday_region;
    return core::phone_region(code);
}

}  // namespace

core::CitizenRules citizen_rules(const OrgData& org, core::Channel channel,
                                 const store::Site* site) {
    return {phone_region_of(org, site), channel == core::Channel::phone};
}

bool AppointmentView::live() const {
    return appointment.status == AppointmentStatus::booked ||
           appointment.status == AppointmentStatus::confirmed;
}
bool AppointmentView::changeable(Instant now) const {
    return live() && appointment.starts_at > now;
}
bool AppointmentView::survey_open(Instant now) const {
    return appointment.status == AppointmentStatus::honoured && appointment.token_expires_at >= now;
}

BookingService::BookingService(store::Store& store, BookingSettings settings,
                               const store::Sealer* sealer, const core::Clock& clock)
    : store_(store),
      settings_(settings),
      sealer_(sealer),
      clock_(clock),
      resend_by_client_(settings.resend_per_client_per_hour, 3600),
      resend_by_contact_(settings.resend_per_contact_per_day, 86400) {}

std::string BookingService::memo(const std::string& key, const std::function<std::string()>& make) {
    auto value = memo_value(key, clock_.now(), [&] {
        auto text = std::make_shared<const std::string>(make());
        return std::pair<Memoised, std::size_t>(text, text->size());
    });
    return *static_cast<const std::string*>(value.get());
}

BookingService::Memoised BookingService::memo_value(
    const std::string& key, Instant now,
    const std::function<std::pair<Memoised, std::size_t>()>& make) {
    auto version = std::to_string(now / 60) + "|" + std::to_string(bookings_generation_.load());
    std::shared_future<Memoised> answer;
    std::promise<Memoised> mine;
    bool computing = false;
    {
        std::lock_guard lock(memo_mutex_);
        // Only answers of the current minute and generation are kept.
        if (memo_version_ != version) {
            memo_.clear();
            memo_bytes_ = 0;
            memo_version_ = version;
        }
        if (auto it = memo_.find(key); it != memo_.end()) {
            answer = it->second;
        } else {
            answer = mine.get_future().share();
            memo_.emplace(key, answer);
            computing = true;
        }
    }
    if (computing) {
        try {
            auto [value, size] = make();
            mine.set_value(std::move(value));
            std::lock_guard lock(memo_mutex_);
            // At most kMemoBytes of answers (a 31-day answer weighs about 800 KB).
            memo_bytes_ += size;
            if (memo_bytes_ > kMemoBytes) {
                memo_.clear();
                memo_bytes_ = 0;
            }
        } catch (...) {
            mine.set_exception(std::current_exception());
            std::lock_guard lock(memo_mutex_);
            if (auto it = memo_.find(key); it != memo_.end() && memo_version_ == version)
                memo_.erase(it);  // the next caller tries again
        }
    }
    return answer.get();
}

std::shared_ptr<const store::AvailabilityData> BookingService::configuration(const OrgData& org,
                                                                             Id motif,
                                                                             store::Session& s,
                                                                             Instant now) {
    auto key = std::to_string(org.org.id) + "|" + std::to_string(motif);
    auto version = std::to_string(now / 60) + "|" + std::to_string(config_generation_.load());
    {
        std::lock_guard lock(memo_mutex_);
        if (auto it = configs_.find(key); it != configs_.end() && it->second.first == version)
            return it->second.second;
    }
    // Absences from yesterday to beyond any horizon: a booking looks at one day of them.
    auto data = std::make_shared<const store::AvailabilityData>(
        s.availability_data(org.org.id, motif, now - 2 * 86400, now + 800 * 86400, false));
    std::lock_guard lock(memo_mutex_);
    if (configs_.size() > 2000) configs_.clear();
    configs_[key] = {version, data};
    return data;
}

void BookingService::cancel_in(store::Session& s, const OrgData& org, store::Appointment& a,
                               const std::string& reason, const std::string& actor,
                               const std::string& by, const std::string& sealed_token,
                               Instant now) {
    a.status = AppointmentStatus::cancelled;
    a.cancel_reason = reason;
    a.updated_at = now;
    ++a.sequence;
    s.update_appointment(a);
    s.add_event(a.id, "cancelled", actor, json({{"reason", reason}, {"by", by}}).dump());
    s.add_audit({a.organisation_id, actor, "appointment.cancel", "appointment", a.id,
                 json({{"by", by}}).dump()});
    auto motif = org.motif(a.motif_id);
    auto site = org.site(a.site_id);
    if (motif && site) plan_cancelled(s, {a, *motif, org.zone(*site), now, sealed_token}, by);
}

ChangeResult BookingService::change_by_token(
    const std::string& token,
    const std::function<void(store::Session&, store::Appointment*, ChangeResult&)>& change) {
    ChangeResult r;
    if (!looks_like_token(token)) return {Outcome::not_found, {}, {}, {}};
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_token_hash(hash_token(token));
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        r.appointment = *a;
        change(s, &*a, r);
    });
    return r;
}

std::string BookingService::sealed(const std::string& token) const {
    return sealer_ ? sealer_->seal(token) : std::string();
}

std::shared_ptr<const OrgData> BookingService::organisation(const std::string& slug) {
    // Read at most once a minute per organisation, and again after a change of this process:
    // settings changed by the CLI show within a minute.
    auto key = std::to_string(clock_.now() / 60) + "|" + std::to_string(config_generation_.load());
    {
        std::lock_guard lock(memo_mutex_);
        if (auto it = orgs_.find(slug); it != orgs_.end() && it->second.first == key)
            return it->second.second;
    }
    auto fresh = load_organisation(slug);
    if (fresh) {
        std::lock_guard lock(memo_mutex_);
        if (orgs_.size() > 1000) orgs_.clear();
        orgs_[slug] = {key, fresh};
    }
    return fresh;
}

std::shared_ptr<const OrgData> BookingService::load_organisation(const std::string& slug) {
    std::shared_ptr<const OrgData> out;
    store_.read([&](store::Session& s) {
        auto org = s.organisation_by_slug(slug);
        if (!org) return;
        out = std::make_shared<const OrgData>(
            OrgData{*org, s.sites(org->id), s.motifs(org->id), s.current_terms(org->id)});
    });
    return out;
}

std::vector<SlotView> BookingService::compute(const OrgData& org, const store::Motif& m,
                                              const SlotQuery& q, Instant now, store::Session& s) {
    core::AvailabilityInput in;
    in.motif = m.rules;
    if (q.ignore_lead_time) in.motif.min_lead_minutes = 0;
    in.channel = q.channel;
    in.site = q.site_id;
    in.from = q.from;
    in.to = q.to;
    in.now = now;
    for (auto& site : org.sites)
        if (site_matches(site, q)) in.sites.push_back(calendar(org, site, q.from, q.to));
    if (in.sites.empty()) return {};
    // Instants that cover the local range in every zone (offsets stay within ±14 h).
    Instant from = Instant(q.from) * 86400 - 86400;
    Instant to = Instant(q.to + 1) * 86400 + 86400;
    // Plans and absences from the memo (they change rarely), appointments fresh.
    auto data = configuration(org, m.id, s, now);
    in.plans = data->plans;
    in.absences = data->absences;
    in.recurring_absences = data->recurring_absences;
    close_sites(in, *data);
    auto busy = s.busy(data->agents, from, to, 86400);
    in.busy.reserve(busy.size());
    for (auto& b : busy) in.busy.push_back({b.agent_id, b.span});

    std::vector<SlotView> out;
    for (auto& slot : core::compute_slots(in)) {
        auto site = org.site(slot.site_id);
        out.push_back({slot.start, slot.end, site->id, site->name, org.zone(*site)});
    }
    return out;
}

std::vector<SlotView> BookingService::slots(const OrgData& org, const SlotQuery& q) {
    ops::metrics().slot_searches.inc();
    return slots_at(org, q, clock_.now());
}

std::vector<SlotView> BookingService::slots_at(const OrgData& org, const SlotQuery& q,
                                               Instant now) {
    auto m = org.public_motif(q.motif_id);
    if (!m || !(m->rules.channels & core::channel_bit(q.channel))) return {};
    std::vector<SlotView> out;
    store_.read([&](store::Session& s) { out = compute(org, *m, q, now, s); });
    return out;
}

std::optional<SlotView> BookingService::first_slot(const OrgData& org, SlotQuery q) {
    const Instant now = clock_.now();
    auto key = "first-slot|" + std::to_string(org.org.id) + "|" + std::to_string(q.motif_id) + "|" +
               std::string(core::to_string(q.channel)) + "|" +
               (q.site_id ? std::to_string(*q.site_id) : "-") + "|" + std::to_string(q.from);
    auto value = memo_value(key, now, [&] {
        auto found =
            std::make_shared<const std::optional<SlotView>>(search_first_slot(org, q, now));
        auto size = sizeof(*found) + (*found ? (*found)->site_name.size() : 0);
        return std::pair<Memoised, std::size_t>(found, size);
    });
    return *static_cast<const std::optional<SlotView>*>(value.get());
}

std::optional<SlotView> BookingService::search_first_slot(const OrgData& org, SlotQuery q,
                                                          Instant now) {
    auto m = org.public_motif(q.motif_id);
    if (!m) return std::nullopt;
    LocalDay last = core::local_day_of(now, org.default_zone()) + m->rules.horizon_days + 1;
    for (LocalDay d = q.from; d <= last; d += 14) {
        q.from = d;
        q.to = std::min<LocalDay>(d + 13, last);
        auto found = slots_at(org, q, now);
        if (!found.empty()) return found.front();
    }
    return std::nullopt;
}

std::vector<SlotView> BookingService::alternatives_after(const OrgData& org, const SlotQuery& base,
                                                         Instant after, Instant now) {
    SlotQuery q = base;
    auto m = org.public_motif(q.motif_id);
    if (!m) return {};
    q.from = core::local_day_of(after, org.default_zone());
    q.to = q.from + 13;
    std::vector<SlotView> out;
    for (auto& s : slots_at(org, q, now)) {
        if (s.start <= after) continue;
        out.push_back(s);
        if (int(out.size()) >= settings_.alternatives) break;
    }
    return out;
}

std::pair<Id, std::vector<Id>> BookingService::candidates(
    const OrgData& org, const store::Motif& m, const SlotQuery& base, Instant start, Instant now,
    const std::optional<store::Appointment>& ignore) {
    std::pair<Id, std::vector<Id>> out{0, {}};
    store_.read([&](store::Session& s) {
        core::AvailabilityInput in;
        in.motif = m.rules;
        if (base.ignore_lead_time) in.motif.min_lead_minutes = 0;
        in.channel = base.channel;
        in.now = now;
        for (auto& site : org.sites) {
            if (!site_matches(site, base)) continue;
            auto day = core::local_day_of(start, org.zone(site));
            in.sites.push_back(calendar(org, site, day, day));
        }
        // Plans, holidays and absences first, without appointments: the few agents whose
        // plans offer this start are then checked against their appointments.
        auto data = configuration(org, m.id, s, now);
        in.plans = data->plans;
        in.absences = data->absences;
        in.recurring_absences = data->recurring_absences;
        close_sites(in, *data);
        // One pass over every candidate site; the first site (in the organisation's order)
        // where the start is free wins.
        in.from = std::numeric_limits<LocalDay>::max();
        in.to = std::numeric_limits<LocalDay>::min();
        for (auto& cal : in.sites) {
            auto day = core::local_day_of(start, cal.zone);
            in.from = std::min(in.from, day);
            in.to = std::max(in.to, day);
        }
        auto offered = core::compute_slots(in);
        std::erase_if(offered, [&](const core::Slot& slot) { return slot.start != start; });
        if (offered.empty()) return;
        // Who of the agents offered is free (with the motif's buffer), in one statement that
        // looks back as far as the organisation's longest motif: a longer appointment left by
        // an edited motif is still caught by the check in the write transaction.
        std::vector<Id> offered_agents;
        for (auto& slot : offered)
            offered_agents.insert(offered_agents.end(), slot.agents.begin(), slot.agents.end());
        std::sort(offered_agents.begin(), offered_agents.end());
        offered_agents.erase(std::unique(offered_agents.begin(), offered_agents.end()),
                             offered_agents.end());
        Instant end = start + Instant(m.rules.duration_minutes) * 60;
        Instant buffer = Instant(m.rules.buffer_minutes) * 60;
        Instant longest = 0;
        for (auto& other : org.motifs)
            longest = std::max(
                longest, Instant(other.rules.duration_minutes + other.rules.buffer_minutes) * 60);
        auto busy = s.busy(offered_agents, start - buffer, end + buffer, longest);
        if (ignore) {
            std::erase_if(busy, [&](const store::AvailabilityData::Busy& b) {
                return b.agent_id == ignore->agent_id && b.span.start == ignore->starts_at &&
                       b.span.end == ignore->ends_at;
            });
        }
        auto is_free = [&](Id agent) {
            for (auto& b : busy)
                if (b.agent_id == agent && b.span.start < end + buffer &&
                    b.span.end > start - buffer)
                    return false;
            return true;
        };
        // Every site offering this start, in order; the first with a free agent wins.
        for (auto& slot : offered) {
            auto free = slot.agents;
            std::erase_if(free, [&](Id agent) { return !is_free(agent); });
            if (free.empty()) continue;
            out = {slot.site_id, free};
            break;
        }
        if (!out.first) return;
        // Least loaded agent of that day first, ties at random: spreads the load.
        auto zone = org.zone(*org.site(out.first));
        auto day_start = core::start_of_local_day(core::local_day_of(start, zone), zone);
        auto day = s.busy(out.second, day_start, day_start + 86400, 0);
        auto load_of = [&](Id agent) {
            return std::count_if(day.begin(), day.end(),
                                 [&](auto& b) { return b.agent_id == agent; });
        };
        auto& agents = out.second;
        thread_local std::mt19937 rng(std::random_device{}());  // seeding costs a syscall
        std::shuffle(agents.begin(), agents.end(), rng);
        std::stable_sort(agents.begin(), agents.end(),
                         [&](Id a, Id b) { return load_of(a) < load_of(b); });
    });
    return out;
}

namespace {

// What makes two booking requests the same intention, as sent (before trimming).
std::string request_fingerprint(const BookRequest& req) {
    auto& c = req.citizen;
    json j = {
        req.motif_id,
        core::to_string(req.channel),
        req.start,
        req.site_id ? json(*req.site_id) : json(nullptr),
        {c.first_name, c.last_name, c.email, c.phone, c.language, c.beneficiary_number, c.needs},
        req.accept_terms,
        req.terms_version,
        req.actor.kind,
        req.ignore_lead_time};
    return hash_token(j.dump());
}

}  // namespace

bool BookingService::replay(store::Session& s, const OrgData& org, const std::string& key_hash,
                            const std::string& request_hash, BookResult& r) const {
    auto key = s.booking_key(org.org.id, key_hash);
    if (!key) return false;
    if (key->request_hash != request_hash) {
        r.outcome = Outcome::invalid;
        r.errors["idempotency_key"] = "error.idempotency_key_reused";
        return true;
    }
    auto a = s.appointment_by_id(org.org.id, key->appointment_id);
    if (!a) return false;
    r.outcome = Outcome::ok;
    r.replayed = true;
    r.appointment = *a;
    auto token =
        sealer_ && !key->sealed_token.empty() ? sealer_->open(key->sealed_token) : std::nullopt;
    r.token = token.value_or("");
    return true;
}

BookResult BookingService::book(const OrgData& org, BookRequest req) {
    const Instant now = clock_.now();
    BookResult r;
    // A resubmission (back then confirm again, a client's retry) finds its appointment
    // before anything else: the terms or the slot may have changed since.
    std::string key_hash, request_hash;
    if (!req.idempotency_key.empty()) {
        key_hash =
            hash_token("booking-key|" + std::to_string(org.org.id) + "|" + req.idempotency_key);
        request_hash = request_fingerprint(req);
        bool found = false;
        store_.read([&](store::Session& s) { found = replay(s, org, key_hash, request_hash, r); });
        if (found) return r;
    }
    auto site = req.site_id ? org.site(*req.site_id) : nullptr;
    r.errors = core::validate_citizen(req.citizen, citizen_rules(org, req.channel, site));
    auto m = org.public_motif(req.motif_id);
    if (!m) r.errors["motif"] = "error.unknown_motif";
    if (m && !(m->rules.channels & core::channel_bit(req.channel)))
        r.errors["channel"] = "error.channel_not_offered";
    if (req.site_id && !org.site(*req.site_id)) r.errors["site"] = "error.unknown_site";
    if (m && !m->asks_beneficiary_number) req.citizen.beneficiary_number.clear();
    if (!req.accept_terms) r.errors["accept_terms"] = "error.terms_not_accepted";
    if (!org.terms || req.terms_version != org.terms->version)
        r.errors["terms_version"] = "error.terms_outdated";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }

    // Outside the write lock: which agents could take this exact slot (plans, holidays,
    // absences, lead time). Inside it: who is still free, then insert.
    SlotQuery q{req.motif_id, req.channel, req.site_id, 0, 0, req.ignore_lead_time};
    store::Appointment a;
    a.organisation_id = org.org.id;
    a.motif_id = m->id;
    a.channel = req.channel;
    a.starts_at = req.start;
    a.ends_at = req.start + Instant(m->rules.duration_minutes) * 60;
    a.status = AppointmentStatus::booked;
    a.citizen = {req.citizen.first_name, req.citizen.last_name, req.citizen.email,
                 req.citizen.phone,      req.citizen.language,  req.citizen.beneficiary_number,
                 req.citizen.needs};
    a.terms_version = req.terms_version;
    a.booked_by = req.actor;
    r.token = new_token();
    a.token_hash = hash_token(r.token);
    a.token_expires_at = a.ends_at + Instant(settings_.token_days_after) * 86400;
    a.created_at = a.updated_at = now;
    Instant buffer = Instant(m->rules.buffer_minutes) * 60;

    // A lost race against other writers is retried on a fresh read: the answer is 409 only
    // when no agent of any site is free at that start any more.
    bool booked = false, replayed = false, closed = false;
    // Each lost round means another writer took a candidate agent, so this ends quickly.
    for (int attempt = 0; attempt < 64 && !booked && !replayed && !closed; ++attempt) {
        auto [site_id, agents] = candidates(org, *m, q, req.start, now, std::nullopt);
        if (agents.empty()) break;
        a.site_id = site_id;
        store_.write([&](store::Session& s) {
            // Two submissions with one key at once: the second finds the first here.
            if (!key_hash.empty() && replay(s, org, key_hash, request_hash, r)) {
                replayed = true;
                return;
            }
            // A closure committed since the candidates were read (another process, or the
            // minute's memo of the configuration): the site takes nothing that day.
            if (site_closed(s, org, a.site_id, a.channel, a.starts_at)) {
                closed = true;
                return;
            }
            for (Id agent : agents) {
                if (!s.agent_is_free(agent, {a.starts_at, a.ends_at}, buffer, std::nullopt))
                    continue;
                a.agent_id = agent;
                a.id = s.insert_appointment(a);
                add_room_token(s, a.id, r.token);
                auto& by = req.by.empty() ? a.booked_by.kind : req.by;
                s.add_event(a.id, "booked", by,
                            req.ignore_lead_time ? R"({"lead_time_overridden":true})" : "{}");
                s.add_audit({a.organisation_id, by, "appointment.book", "appointment", a.id,
                             json({{"motif", a.motif_id}, {"channel", core::to_string(a.channel)}})
                                 .dump()});
                plan_booked(s, {a, *m, org.zone(*org.site(a.site_id)), now, sealed(r.token)});
                if (req.also) req.also(s, a);
                if (!key_hash.empty())
                    s.insert_booking_key(
                        {org.org.id, key_hash, request_hash, a.id, sealed(r.token), now});
                booked = true;
                return;
            }
        });
    }
    if (replayed) return r;
    if (!booked) {
        r.outcome = Outcome::conflict;
        r.token.clear();
        r.alternatives = alternatives_after(org, q, std::max(req.start, now), now);
        return r;
    }
    ++bookings_generation_;
    ops::metrics().bookings.inc();
    queued();
    r.appointment = a;
    return r;
}

std::optional<AppointmentView> BookingService::find(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    std::optional<AppointmentView> out;
    store_.read([&](store::Session& s) {
        auto a = s.appointment_by_token_hash(hash_token(token));
        if (!a) return;
        auto org = s.organisation_by_id(a->organisation_id);
        if (!org) return;
        out = AppointmentView{
            *a, OrgData{*org, s.sites(org->id), s.motifs(org->id), s.current_terms(org->id)}};
    });
    return out;
}

ChangeResult BookingService::cancel(const std::string& token, const std::string& reason) {
    const Instant now = clock_.now();
    ChangeResult r;
    auto view = find(token);
    if (!view) return {Outcome::not_found, {}, {}, {}};
    if (view->appointment.token_expires_at < now) return {Outcome::gone, {}, {}, {}};
    auto clean = core::trim(reason);
    if (!core::is_valid_utf8(clean) || core::utf8_length(clean) > 500) {
        r.outcome = Outcome::invalid;
        r.errors["reason"] = "error.too_long";
        return r;
    }
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_token_hash(hash_token(token));
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        AppointmentView fresh{*a, view->org};
        if (!fresh.changeable(now)) {
            r.outcome = Outcome::gone;
            r.appointment = *a;
            return;
        }
        cancel_in(s, view->org, *a, clean, "citizen", "citizen", sealed(token), now);
        r.appointment = *a;
    });
    ++bookings_generation_;
    if (r.outcome == Outcome::ok) ops::metrics().cancellations_by_citizen.inc();
    if (r.outcome == Outcome::ok) queued();
    return r;
}

ChangeResult BookingService::reschedule(const std::string& token, Instant start,
                                        std::optional<Id> site) {
    auto view = find(token);
    if (!view) return {Outcome::not_found, {}, {}, {}};
    if (view->appointment.token_expires_at < clock_.now())
        return {Outcome::gone, {}, {}, view->appointment};
    return reschedule_view(*view, start, site, "citizen", sealed(token), [&](store::Session& s) {
        return s.appointment_by_token_hash(hash_token(token));
    });
}

ChangeResult BookingService::reschedule_view(
    const AppointmentView& found, Instant start, std::optional<Id> site, const std::string& actor,
    const std::string& sealed_token,
    const std::function<std::optional<store::Appointment>(store::Session&)>& reload) {
    const Instant now = clock_.now();
    ChangeResult r;
    auto view = &found;
    auto& old = view->appointment;
    if (!view->changeable(now)) return {Outcome::gone, {}, {}, old};
    auto m = view->org.motif(old.motif_id);
    if (!m) return {Outcome::gone, {}, {}, old};
    if (site && !view->org.site(*site)) {
        r.outcome = Outcome::invalid;
        r.errors["site"] = "error.unknown_site";
        return r;
    }
    // Same motif and channel; the site may change when the citizen picks another one.
    SlotQuery q{old.motif_id, old.channel, site, 0, 0};
    auto old_site = view->org.site(old.site_id);
    // Video from home may move to any agency; on site, by phone or at a partner: same site.
    bool any_site = old.channel == core::Channel::video && old_site && !old_site->is_partner;
    if (!q.site_id && !any_site) q.site_id = old.site_id;

    // The old appointment is not busy for itself: compute with it excluded.
    auto [new_site, agents] = candidates(view->org, *m, q, start, now, old);
    // Keeping the same agent is kinder to the agent's preparation.
    std::stable_partition(agents.begin(), agents.end(), [&](Id a) { return a == old.agent_id; });
    if (agents.empty()) {
        r.outcome = Outcome::conflict;
        r.alternatives = alternatives_after(view->org, q, std::max(start, now), now);
        return r;
    }
    bool done = false, gone = false;
    Instant buffer = Instant(m->rules.buffer_minutes) * 60;
    store_.write([&](store::Session& s) {
        auto a = reload(s);
        if (!a || !AppointmentView{*a, view->org}.changeable(now)) {
            gone = true;  // cancelled meanwhile: not a conflict
            return;
        }
        for (Id agent : agents) {
            Instant end = start + Instant(m->rules.duration_minutes) * 60;
            if (!s.agent_is_free(agent, {start, end}, buffer, a->id)) continue;
            json detail = {{"from", a->starts_at}, {"to", start}};
            auto before = *a;
            a->agent_id = agent;
            a->site_id = new_site;
            a->starts_at = start;
            a->ends_at = end;
            a->token_expires_at = end + Instant(settings_.token_days_after) * 86400;
            a->updated_at = now;
            ++a->sequence;
            s.update_appointment(*a);
            s.add_event(a->id, "rescheduled", actor, detail.dump());
            s.add_audit(
                {a->organisation_id, actor, "appointment.reschedule", "appointment", a->id, "{}"});
            plan_rescheduled(
                s, {*a, *m, view->org.zone(*view->org.site(a->site_id)), now, sealed_token},
                before);
            r.appointment = *a;
            done = true;
            return;
        }
    });
    if (gone) return {Outcome::gone, {}, {}, old};
    if (done) {
        ++bookings_generation_;
        queued();
    }
    if (!done) {
        r.outcome = Outcome::conflict;
        r.alternatives = alternatives_after(view->org, q, start, now);
    }
    return r;
}

}  // namespace vg::app

namespace vg::app {

ChangeResult BookingService::confirm_presence(const std::string& token) {
    const Instant now = clock_.now();
    return change_by_token(token, [&](store::Session& s, store::Appointment* a, ChangeResult& r) {
        if (a->token_expires_at < now || a->starts_at + 600 < now ||
            !(a->status == AppointmentStatus::booked ||
              a->status == AppointmentStatus::confirmed)) {
            r.outcome = Outcome::gone;
            return;
        }
        if (a->status == AppointmentStatus::confirmed) return;  // twice is fine
        a->status = AppointmentStatus::confirmed;
        a->updated_at = now;
        s.update_appointment(*a);
        s.add_event(a->id, "presence_confirmed", "citizen", "{}");
        s.add_audit({a->organisation_id, "citizen", "appointment.confirm_presence", "appointment",
                     a->id, "{}"});
        r.appointment = *a;
    });
}

ChangeResult BookingService::update_contact(const std::string& token, const std::string& email,
                                            const std::string& phone) {
    const Instant now = clock_.now();
    // The rules of the appointment's site: its region reads the number, the phone channel
    // requires one.
    core::CitizenRules rules;
    if (auto v = find(token)) rules = citizen_rules(v->org, v->appointment.channel, v->site());
    return change_by_token(token, [&](store::Session& s, store::Appointment* a, ChangeResult& r) {
        if (a->token_expires_at < now || a->starts_at <= now ||
            !(a->status == AppointmentStatus::booked ||
              a->status == AppointmentStatus::confirmed)) {
            r.outcome = Outcome::gone;
            return;
        }
        auto& c = a->citizen;
        core::CitizenInput in{c.first_name, c.last_name,          email,  phone,
                              c.language,   c.beneficiary_number, c.needs};
        for (auto& [field, key] : core::validate_citizen(in, rules))
            if (field == "email" || field == "phone") r.errors[field] = key;
        if (!r.errors.empty()) {
            r.outcome = Outcome::invalid;
            return;
        }
        if (in.email == c.email && in.phone == c.phone) return;
        c.email = in.email;
        c.phone = in.phone;
        a->updated_at = now;
        s.update_appointment(*a);
        s.add_event(a->id, "contact_changed", "citizen", "{}");
        s.add_audit({a->organisation_id, "citizen", "appointment.contact_changed", "appointment",
                     a->id, "{}"});
        r.appointment = *a;
    });
}

ChangeResult BookingService::answer_survey(const std::string& token, int rating,
                                           const std::string& comment) {
    const Instant now = clock_.now();
    ChangeResult r;
    auto clean = core::trim(comment);
    if (rating < 1 || rating > 5) r.errors["rating"] = "error.invalid_choice";
    if (!core::is_valid_utf8(clean) || core::utf8_length(clean) > 1000)
        r.errors["comment"] = "error.too_long";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    return change_by_token(token, [&](store::Session& s, store::Appointment* a, ChangeResult& out) {
        if (!AppointmentView{*a, {}}.survey_open(now) ||
            !s.insert_survey(a->organisation_id, a->id, rating, clean))
            out.outcome = Outcome::gone;
    });
}

ChangeResult BookingService::opt_out_sms(const std::string& token) {
    ChangeResult r;
    auto view = find(token);
    if (!view) return {Outcome::not_found, {}, {}, {}};
    r.appointment = view->appointment;
    auto number =
        core::normalise_e164(view->appointment.citizen.phone,
                             phone_region_of(view->org, view->org.site(view->appointment.site_id)));
    if (!number) return {Outcome::invalid, {{"phone", "error.invalid_phone"}}, {}, r.appointment};
    store_.write([&](store::Session& s) {
        s.add_sms_opt_out(view->appointment.organisation_id, *number);
        s.add_audit({view->appointment.organisation_id, "citizen", "sms.opt_out", "appointment",
                     view->appointment.id, "{}"});
    });
    return r;
}

}  // namespace vg::app

namespace vg::app {

void BookingService::record_outcome_in(store::Session& s, store::Appointment& a,
                                       store::AppointmentStatus outcome, const std::string& actor,
                                       Instant now) {
    const Id org = a.organisation_id;
    a.status = outcome;
    a.updated_at = now;
    s.update_appointment(a);
    s.add_event(a.id, std::string(store::to_string(outcome)), actor, "{}");
    s.add_audit({org, actor, "appointment.outcome", "appointment", a.id,
                 json({{"status", store::to_string(outcome)}}).dump()});
    if (outcome == AppointmentStatus::no_show) {
        s.cancel_pending(a.id, {"reminder", "thank_you"});
        json payload = {
            {"appointment_id", a.id}, {"sequence", a.sequence}, {"recipient", "citizen"}};
        auto key = "no_show:" + std::to_string(a.id) + ":" + std::to_string(a.sequence);
        if (!a.citizen.email.empty())
            s.enqueue({org, a.id, key + ":email", "no_show", "email", payload.dump(), now});
        if (!a.citizen.phone.empty())
            s.enqueue({org, a.id, key + ":sms", "no_show", "sms", payload.dump(), now});
    } else {
        // The thank-you with the survey waited for this (it goes after a held appointment
        // only): due now, or at its time if that is later.
        s.release_waiting(a.id, "thank_you", now);
    }
}

ChangeResult BookingService::record_outcome(Id org, Id id, store::AppointmentStatus outcome,
                                            const std::string& actor) {
    const Instant now = clock_.now();
    ChangeResult r;
    if (outcome != AppointmentStatus::honoured && outcome != AppointmentStatus::no_show) {
        r.outcome = Outcome::invalid;
        r.errors["status"] = "error.invalid_choice";
        return r;
    }
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);  // scoped by organisation: no cross-tenant id
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        bool live =
            a->status == AppointmentStatus::booked || a->status == AppointmentStatus::confirmed;
        if (!live || a->starts_at > now) {
            r.outcome = Outcome::gone;  // only a live appointment that has started
            r.appointment = *a;
            return;
        }
        record_outcome_in(s, *a, outcome, actor, now);
        r.appointment = *a;
    });
    ++bookings_generation_;
    if (r.outcome == Outcome::ok) queued();
    return r;
}

}  // namespace vg::app

namespace vg::app {

ChangeResult BookingService::cancel_by_agency(Id org, Id id, const std::string& reason,
                                              const std::string& actor) {
    const Instant now = clock_.now();
    ChangeResult r;
    auto clean = core::trim(reason);
    if (clean.empty() || !core::is_valid_utf8(clean) || core::utf8_length(clean) > 500) {
        r.outcome = Outcome::invalid;
        r.errors["reason"] = clean.empty() ? "error.required" : "error.too_long";
        return r;
    }
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);  // scoped by organisation
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        auto o = s.organisation_by_id(org);
        AppointmentView view{*a, OrgData{*o, s.sites(org), s.motifs(org), std::nullopt}};
        if (!view.changeable(now)) {
            r.outcome = Outcome::gone;
            r.appointment = *a;
            return;
        }
        // No token here: the message cannot carry the management link, it does not need it.
        cancel_in(s, view.org, *a, clean, actor, "agency", "", now);
        r.appointment = *a;
    });
    ++bookings_generation_;
    if (r.outcome == Outcome::ok) ops::metrics().cancellations_by_agency.inc();
    if (r.outcome == Outcome::ok) queued();
    return r;
}

}  // namespace vg::app

namespace vg::app {

namespace {

// Links added by resend_links that stay valid beside the first one, newest first: asking
// again and again does not grow an appointment's links without end.
constexpr int kResentLinksKept = 5;
// Longer input is no e-mail address (254) or phone number.
constexpr std::size_t kMaxContact = 320;

}  // namespace

ResendResult BookingService::resend_links(const OrgData& org, const std::string& contact,
                                          const std::string& client) {
    const Instant now = clock_.now();
    ResendResult r;
    auto input = core::trim(contact);
    // What was typed, read as the booking form reads it: an e-mail address, or a phone
    // number national in the region of the organisation or of one of its sites.
    std::string email;
    std::vector<std::string> phones;  // international forms, as stored
    if (input.empty()) {
        r.errors["contact"] = "error.required";
    } else if (input.size() > kMaxContact) {
        r.errors["contact"] = "error.too_long";
    } else if (!core::is_valid_utf8(input)) {
        r.errors["contact"] = "error.invalid_contact";
    } else if (input.find('@') != std::string::npos) {
        core::CitizenInput in;
        in.email = input;
        if (core::validate_citizen(in).count("email"))
            r.errors["contact"] = "error.invalid_contact";
        else
            email = in.email;
    } else {
        std::vector<std::string> regions{phone_region_of(org, nullptr)};
        for (auto& site : org.sites) regions.push_back(phone_region_of(org, &site));
        for (auto& region : regions)
            if (auto p = core::parse_phone(input, region);
                p && std::find(phones.begin(), phones.end(), p->international) == phones.end())
                phones.push_back(p->international);
        if (phones.empty()) r.errors["contact"] = "error.invalid_contact";
    }
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    auto limited = [&](RateLimiter& limiter, const std::string& key) {
        if (limiter.allow(key, now)) return false;
        r.limited = true;
        r.retry_after = std::max<Instant>(1, limiter.retry_after(key, now));
        return true;
    };
    // Per contact: its hash, never the address itself, is what the limiter remembers.
    std::string who = email;
    for (auto& c : who) c = char(std::tolower(static_cast<unsigned char>(c)));
    for (auto& p : phones) who += "|" + p;
    if (limited(resend_by_client_, client) ||
        limited(resend_by_contact_,
                "contact:" + hash_token(std::to_string(org.org.id) + "|" + who)))
        return r;

    // One write transaction whether anything is found or not (an audit line at least), and
    // the message only queued: the answer takes the same time either way.
    const int most = settings_.resend_most_appointments;
    store_.write([&](store::Session& s) {
        std::vector<store::Appointment> found;
        if (!email.empty()) found = s.live_by_email(org.org.id, email, now, most);
        for (auto& p : phones)
            for (auto& a : s.live_by_phone(org.org.id, p, now, most)) found.push_back(a);
        std::sort(found.begin(), found.end(), [](auto& a, auto& b) {
            return std::pair(a.starts_at, a.id) < std::pair(b.starts_at, b.id);
        });
        found.erase(
            std::unique(found.begin(), found.end(), [](auto& a, auto& b) { return a.id == b.id; }),
            found.end());
        if (int(found.size()) > most) found.resize(std::size_t(most));
        std::string tokens;  // one sealed string for the message: "token token ..."
        json ids = json::array();
        for (auto& a : found) {
            auto token = new_token();
            s.add_token_hash(a.id, hash_token(token), kResentLinksKept);
            add_room_token(s, a.id, token);
            s.add_event(a.id, "link_resent", "citizen", "{}");
            if (!tokens.empty()) tokens += ' ';
            tokens += token;
            ids.push_back(a.id);
        }
        if (!found.empty()) {
            json payload = {{"recipient", "citizen"}, {"appointments", ids}};
            if (sealer_) payload["token"] = sealer_->seal(tokens);
            std::string channel = email.empty() ? "sms" : "email";
            // Unique per request: every request is a new message.
            auto key = "links:" + std::to_string(found.front().id) + ":" +
                       hash_token(tokens).substr(0, 32) + ":" + channel;
            s.enqueue({org.org.id, found.front().id, key, "links", channel, payload.dump(), now});
        }
        s.add_audit({org.org.id, "citizen", "contact.links_requested", "organisation", org.org.id,
                     json({{"appointments", found.size()}}).dump()});
        r.appointments = int(found.size());
    });
    queued();
    return r;
}

}  // namespace vg::app
