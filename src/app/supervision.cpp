// The agent's own availability (plans, absences and what they do to booked appointments)
// and the supervisors' operations (reassign, close a site for a day): issue 12.
#include "app/supervision.hpp"

#include <sodium.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "app/booking_service.hpp"
#include "app/message_plan.hpp"
#include "app/room_service.hpp"
#include "app/tokens.hpp"
#include "core/citizen.hpp"
#include "core/closure.hpp"
#include "core/timefmt.hpp"

namespace vg::app {

using nlohmann::json;
using store::AppointmentStatus;

namespace {

// Longest validity of a plan and longest absence: beyond, a typing mistake.
constexpr LocalDay kMostPlanDays = 5 * 366;
constexpr Instant kMostAbsence = 366 * 86400;
constexpr int kMostWeeks = 8;

json plan_json(const core::OpeningPlan& p) {
    return {{"agent", p.agent_id},
            {"site", p.site_id},
            {"weekdays", p.rule.weekdays},
            {"start_minute", p.rule.start_minute},
            {"end_minute", p.rule.end_minute},
            {"valid_from", core::format_ymd(p.rule.valid_from)},
            {"valid_until",
             p.rule.valid_until ? json(core::format_ymd(*p.rule.valid_until)) : json(nullptr)},
            {"every_n_weeks", p.rule.every_n_weeks},
            {"channels", p.channels},
            {"motifs", p.motif_ids}};
}

core::FieldErrors check_plan(const OrgData& org, const core::OpeningPlan& p) {
    core::FieldErrors e;
    if ((p.rule.weekdays & 0x7f) == 0 || p.rule.weekdays > 0x7f)
        e["weekdays"] = "availability.error.weekdays";
    if (p.rule.start_minute < 0 || p.rule.start_minute > 1440)
        e["start"] = "availability.error.hours";
    if (p.rule.end_minute < 0 || p.rule.end_minute > 1440)
        e["end"] = "availability.error.hours";
    else if (!e.count("start") && p.rule.end_minute <= p.rule.start_minute)
        e["end"] = "availability.error.end_before_start";
    if (!org.site(p.site_id)) e["site"] = "availability.error.unknown_site";
    if ((p.channels & core::all_channels) == 0 || p.channels > core::all_channels)
        e["channels"] = "availability.error.channels";
    for (auto id : p.motif_ids)
        if (!org.motif(id)) e["motifs"] = "availability.error.unknown_motif";
    if (p.rule.valid_until && *p.rule.valid_until < p.rule.valid_from)
        e["valid_until"] = "availability.error.until_before_from";
    else if (p.rule.valid_until && *p.rule.valid_until - p.rule.valid_from > kMostPlanDays)
        e["valid_until"] = "availability.error.too_long";
    if (p.rule.every_n_weeks < 1 || p.rule.every_n_weeks > kMostWeeks)
        e["every_n_weeks"] = "availability.error.every_n_weeks";
    return e;
}

bool live(const store::Appointment& a) {
    return a.status == AppointmentStatus::booked || a.status == AppointmentStatus::confirmed;
}

std::string digest(const std::string& text) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

// Thrown inside a write transaction to roll everything back.
struct Refused {
    std::string field;
    std::string key;
};

}  // namespace

ConfigResult BookingService::save_plan(const OrgData& org, core::OpeningPlan p,
                                       std::optional<Id> scope, const std::string& actor) {
    ConfigResult r;
    r.errors = check_plan(org, p);
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    store_.write([&](store::Session& s) {
        auto agent = s.agent(org.org.id, p.agent_id);
        if (!agent || (scope && *scope != p.agent_id)) {
            r.outcome = Outcome::not_found;
            return;
        }
        json before = json::object();
        if (p.id) {
            auto old = s.plan(org.org.id, p.id);
            if (!old || old->agent_id != p.agent_id) {
                r.outcome = Outcome::not_found;
                return;
            }
            before = plan_json(*old);
            s.update_plan(org.org.id, p);
        } else {
            p.id = s.insert_plan(org.org.id, p);
        }
        s.add_change({0, org.org.id, 0, actor, "plan", p.id, before.empty() ? "create" : "update",
                      before.dump(), plan_json(p).dump()});
        r.id = p.id;
    });
    if (r.outcome == Outcome::ok) configuration_changed();
    return r;
}

ConfigResult BookingService::delete_plan(const OrgData& org, Id id, std::optional<Id> scope,
                                         const std::string& actor) {
    ConfigResult r;
    store_.write([&](store::Session& s) {
        auto old = s.plan(org.org.id, id);
        if (!old || (scope && *scope != old->agent_id)) {
            r.outcome = Outcome::not_found;
            return;
        }
        s.delete_plan(org.org.id, id);
        s.add_change({0, org.org.id, 0, actor, "plan", id, "delete", plan_json(*old).dump(), "{}"});
        r.id = id;
    });
    if (r.outcome == Outcome::ok) configuration_changed();
    return r;
}

ConfigResult BookingService::delete_absence(const OrgData& org, Id id, std::optional<Id> scope,
                                            const std::string& actor) {
    ConfigResult r;
    store_.write([&](store::Session& s) {
        auto old = s.absence(org.org.id, id);
        if (!old || (scope && *scope != old->absence.agent_id)) {
            r.outcome = Outcome::not_found;
            return;
        }
        s.delete_absence(org.org.id, id);
        json before = {{"agent", old->absence.agent_id},
                       {"starts_at", old->absence.span.start},
                       {"ends_at", old->absence.span.end}};
        s.add_change({0, org.org.id, 0, actor, "absence", id, "delete", before.dump(), "{}"});
        r.id = id;
    });
    if (r.outcome == Outcome::ok) configuration_changed();
    return r;
}

std::vector<Id> BookingService::reassign_candidates(const OrgData& org, const store::Appointment& a,
                                                    const std::vector<Id>& excluded,
                                                    std::map<Id, Id>* sites) {
    auto m = org.motif(a.motif_id);
    if (!m) return {};
    auto agency = *m;  // the agency books inside the lead time, never beyond the rules else
    agency.rules.min_lead_minutes = 0;
    // Video from home may be served from any agency; on site, by phone or at a partner: the
    // same site.
    auto own = org.site(a.site_id);
    bool any_site = a.channel == core::Channel::video && own && !own->is_partner;
    std::vector<Id> out;
    for (auto& site : org.sites) {
        if (site.id != a.site_id && (!any_site || site.is_partner)) continue;
        SlotQuery q{a.motif_id, a.channel, site.id, 0, 0};
        auto [found, agents] = candidates(org, agency, q, a.starts_at, clock_.now(), a);
        if (found != site.id) continue;
        for (Id id : agents) {
            if (id == a.agent_id ||
                std::find(excluded.begin(), excluded.end(), id) != excluded.end() ||
                std::find(out.begin(), out.end(), id) != out.end())
                continue;
            out.push_back(id);
            if (sites) (*sites)[id] = site.id;
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<SlotView> BookingService::move_options(const OrgData& org, const store::Appointment& a,
                                                   Instant after, int count) {
    auto m = org.motif(a.motif_id);
    if (!m) return {};
    SlotQuery q{a.motif_id, a.channel, a.site_id, 0, 0};
    q.from = core::local_day_of(after, org.default_zone());
    q.to = q.from + 13;
    std::vector<SlotView> out;
    for (auto& slot : slots_at(org, q, clock_.now())) {
        if (slot.start <= after) continue;
        out.push_back(slot);
        if (int(out.size()) >= count) break;
    }
    return out;
}

ChangeResult BookingService::reassign(const OrgData& org, Id id, Id agent_id,
                                      const std::string& actor) {
    const Instant now = clock_.now();
    ChangeResult r;
    std::optional<store::Appointment> a;
    store_.read([&](store::Session& s) { a = s.appointment_by_id(org.org.id, id); });
    if (!a) return {Outcome::not_found, {}, {}, {}};
    if (!live(*a) || a->starts_at <= now) return {Outcome::gone, {}, {}, *a};
    std::map<Id, Id> sites;
    auto agents = reassign_candidates(org, *a, {}, &sites);
    if (std::find(agents.begin(), agents.end(), agent_id) == agents.end()) {
        r.outcome = Outcome::invalid;
        r.errors["agent"] = "supervision.error.agent_not_free";
        return r;
    }
    auto m = org.motif(a->motif_id);
    store_.write([&](store::Session& s) {
        auto fresh = s.appointment_by_id(org.org.id, id);
        if (!fresh || !live(*fresh) || fresh->starts_at != a->starts_at ||
            fresh->agent_id != a->agent_id) {
            r.outcome = Outcome::gone;
            return;
        }
        // Checked again under the write lock: never double booked.
        if (!s.agent_is_free(agent_id, {fresh->starts_at, fresh->ends_at},
                             Instant(m->rules.buffer_minutes) * 60, fresh->id)) {
            r.outcome = Outcome::invalid;
            r.errors["agent"] = "supervision.error.agent_not_free";
            return;
        }
        auto before = *fresh;
        fresh->agent_id = agent_id;
        fresh->site_id = sites[agent_id];
        fresh->updated_at = now;
        ++fresh->sequence;
        s.update_appointment(*fresh);
        json detail = {{"from_agent", before.agent_id}, {"to_agent", agent_id}};
        s.add_event(fresh->id, "reassigned", actor, detail.dump());
        s.add_audit(
            {org.org.id, actor, "appointment.reassign", "appointment", fresh->id, detail.dump()});
        plan_reassigned(s, {*fresh, *m, org.zone(*org.site(fresh->site_id)), now, ""}, before);
        r.appointment = *fresh;
    });
    if (r.outcome == Outcome::ok) {
        ++bookings_generation_;
        queued();
    }
    return r;
}

AbsenceResult BookingService::add_absence(const OrgData& org, const AbsenceRequest& req) {
    const Instant now = clock_.now();
    AbsenceResult r;
    auto reason = core::trim(req.reason);
    if (req.span.end <= req.span.start)
        r.errors["end"] = "availability.error.end_before_start";
    else if (req.span.end - req.span.start > kMostAbsence)
        r.errors["end"] = "availability.error.too_long";
    if (req.span.end <= now) r.errors["end"] = "availability.error.in_the_past";
    if (!core::is_valid_utf8(reason) || core::utf8_length(reason) > 200)
        r.errors["reason"] = "availability.error.too_long_text";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    // The appointments hit, and for each choice what the engine offers, before the write.
    std::vector<store::Appointment> hit;
    store_.read([&](store::Session& s) {
        if (!s.agent(org.org.id, req.agent_id)) return;
        for (auto& a : s.appointments_between(org.org.id, req.span.start - 86400, req.span.end,
                                              true, req.agent_id, std::nullopt))
            if (a.ends_at > req.span.start && a.ends_at > now) hit.push_back(a);
    });
    struct Plan {
        const AbsenceChoice* choice;
        store::Appointment appointment;
        Id site = 0;
        std::vector<Id> agents;
    };
    std::vector<Plan> plans;
    for (auto& a : hit) {
        auto it = std::find_if(req.choices.begin(), req.choices.end(),
                               [&](auto& c) { return c.appointment_id == a.id; });
        if (it == req.choices.end() || it->action.empty()) {
            r.outcome = Outcome::conflict;
            r.hit = hit;
            return r;
        }
        auto field = "choice_" + std::to_string(a.id);
        Plan p{&*it, a, a.site_id, {}};
        auto m = org.motif(a.motif_id);
        if (!m) {
            r.errors[field] = "availability.error.choice_impossible";
            continue;
        }
        if (it->action == "reassign") {
            std::map<Id, Id> sites;
            auto agents = reassign_candidates(org, a, {req.agent_id}, &sites);
            if (std::find(agents.begin(), agents.end(), it->agent_id) == agents.end())
                r.errors[field] = "supervision.error.agent_not_free";
            p.agents = {it->agent_id};
            p.site = sites[it->agent_id];
        } else if (it->action == "move") {
            auto agency = *m;
            agency.rules.min_lead_minutes = 0;
            SlotQuery q{a.motif_id, a.channel, a.site_id, 0, 0};
            auto [site, agents] = candidates(org, agency, q, it->start, now, a);
            std::erase_if(agents, [&](Id x) { return x == req.agent_id; });
            if (agents.empty() || it->start <= now)
                r.errors[field] = "availability.error.slot_taken";
            p.site = site;
            p.agents = agents;
        } else if (it->action == "cancel") {
            auto text = core::trim(it->reason);
            if (text.empty())
                r.errors[field] = "availability.error.reason_required";
            else if (!core::is_valid_utf8(text) || core::utf8_length(text) > 500)
                r.errors[field] = "availability.error.too_long_text";
        } else {
            r.errors[field] = "availability.error.choice_impossible";
        }
        plans.push_back(p);
    }
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        r.hit = hit;
        return r;
    }
    try {
        store_.write([&](store::Session& s) {
            r.absence_id = s.insert_absence(org.org.id, {req.agent_id, req.span}, reason);
            s.add_change({0, org.org.id, 0, req.actor, "absence", r.absence_id, "create", "{}",
                          json({{"agent", req.agent_id},
                                {"starts_at", req.span.start},
                                {"ends_at", req.span.end}})
                              .dump()});
            for (auto& p : plans) {
                auto field = "choice_" + std::to_string(p.appointment.id);
                auto a = s.appointment_by_id(org.org.id, p.appointment.id);
                if (!a || !live(*a) || a->starts_at != p.appointment.starts_at)
                    throw Refused{field, "availability.error.changed"};
                auto m = org.motif(a->motif_id);
                Instant buffer = Instant(m->rules.buffer_minutes) * 60;
                auto zone = org.zone(*org.site(a->site_id));
                auto before = *a;
                if (p.choice->action == "cancel") {
                    cancel_in(s, org, *a, core::trim(p.choice->reason), req.actor, "agency", "",
                              now);
                    continue;
                }
                Instant start = p.choice->action == "move" ? p.choice->start : a->starts_at;
                Instant end = start + (a->ends_at - a->starts_at);
                // The absence is written: the absent agent is not free any more; every
                // choice sees the ones applied before it (never double booked).
                Id chosen = 0;
                for (Id agent : p.agents)
                    if (agent != req.agent_id &&
                        s.agent_is_free(agent, {start, end}, buffer, a->id)) {
                        chosen = agent;
                        break;
                    }
                if (!chosen)
                    throw Refused{field, p.choice->action == "move"
                                             ? "availability.error.slot_taken"
                                             : "supervision.error.agent_not_free"};
                a->agent_id = chosen;
                a->updated_at = now;
                ++a->sequence;
                if (p.choice->action == "reassign") {
                    if (p.site) a->site_id = p.site;
                    s.update_appointment(*a);
                    json detail = {{"from_agent", before.agent_id}, {"to_agent", chosen}};
                    s.add_event(a->id, "reassigned", req.actor, detail.dump());
                    s.add_audit({org.org.id, req.actor, "appointment.reassign", "appointment",
                                 a->id, detail.dump()});
                    plan_reassigned(s, {*a, *m, zone, now, ""}, before);
                } else {
                    a->site_id = p.site;
                    a->starts_at = start;
                    a->ends_at = end;
                    a->token_expires_at = end + Instant(settings_.token_days_after) * 86400;
                    s.update_appointment(*a);
                    // A new link for the citizen's message (the first one stays valid).
                    auto token = new_token();
                    s.add_token_hash(a->id, hash_token(token), 5);
                    add_room_token(s, a->id, token);
                    json detail = {{"from", before.starts_at}, {"to", start}};
                    s.add_event(a->id, "rescheduled", req.actor, detail.dump());
                    s.add_audit({org.org.id, req.actor, "appointment.reschedule", "appointment",
                                 a->id, "{}"});
                    plan_rescheduled(
                        s, {*a, *m, org.zone(*org.site(a->site_id)), now, sealed(token)}, before);
                }
            }
        });
    } catch (const Refused& refused) {
        r = {};
        r.outcome = Outcome::invalid;
        r.errors[refused.field] = refused.key;
        r.hit = hit;
        return r;
    }
    configuration_changed();
    queued();
    return r;
}

ClosurePlan BookingService::closure_plan(store::Session& s, const OrgData& org, Id site_id,
                                         LocalDay day) {
    ClosurePlan p;
    auto site = org.site(site_id);
    if (!site || site->is_partner) {
        p.outcome = Outcome::not_found;
        return p;
    }
    auto zone = org.zone(*site);
    auto from = core::start_of_local_day(day, zone);
    auto to = core::start_of_local_day(day + 1, zone);
    for (auto& c : s.site_closures(org.org.id, day, day))
        p.already_closed = p.already_closed || c.site_id == site_id;
    std::string text = std::to_string(site_id) + "|" + std::to_string(day);
    for (auto& a : s.appointments_between(org.org.id, from, to, true, std::nullopt, site_id)) {
        if (a.channel != core::Channel::on_site) continue;
        auto m = org.motif(a.motif_id);
        auto to_channel = core::closure_channel(m ? m->rules.channels : 0, !a.citizen.email.empty(),
                                                !a.citizen.phone.empty());
        ClosureItem item{a, to_channel.value_or(core::Channel::on_site), !to_channel};
        text += "|" + std::to_string(a.id) + ":" + std::to_string(a.sequence) + ":" +
                (item.cancel ? "cancel" : std::string(core::to_string(item.to)));
        p.items.push_back(std::move(item));
    }
    p.fingerprint = digest(text);
    return p;
}

ClosurePlan BookingService::close_site_preview(const OrgData& org, Id site_id, LocalDay day) {
    ClosurePlan p;
    store_.read([&](store::Session& s) { p = closure_plan(s, org, site_id, day); });
    return p;
}

ClosurePlan BookingService::close_site(const OrgData& org, Id site_id, LocalDay day,
                                       const std::string& reason_in, const std::string& fingerprint,
                                       const std::string& actor) {
    const Instant now = clock_.now();
    ClosurePlan p;
    auto reason = core::trim(reason_in);
    if (reason.empty()) p.errors["reason"] = "availability.error.reason_required";
    if (!core::is_valid_utf8(reason) || core::utf8_length(reason) > 500)
        p.errors["reason"] = "availability.error.too_long_text";
    auto site = org.site(site_id);
    if (site && core::start_of_local_day(day + 1, org.zone(*site)) <= now)
        p.errors["day"] = "availability.error.in_the_past";
    if (!p.errors.empty()) {
        auto errors = p.errors;
        store_.read([&](store::Session& s) { p = closure_plan(s, org, site_id, day); });
        p.errors = errors;
        p.outcome = Outcome::invalid;
        return p;
    }
    store_.write([&](store::Session& s) {
        p = closure_plan(s, org, site_id, day);
        if (p.outcome != Outcome::ok) return;
        if (p.fingerprint != fingerprint) {
            p.outcome = Outcome::conflict;  // booked or changed since the preview
            return;
        }
        s.insert_site_closure({0, org.org.id, site_id, day, reason, actor, now});
        s.add_change({0, org.org.id, 0, actor, "site_closure", site_id, "create", "{}",
                      json({{"site", site_id}, {"day", core::format_ymd(day)}}).dump()});
        for (auto& item : p.items) {
            auto a = item.appointment;
            auto m = org.motif(a.motif_id);
            if (item.cancel) {
                cancel_in(s, org, a, reason, actor, "agency", "", now);
            } else {
                auto before = a;
                a.channel = item.to;
                a.updated_at = now;
                ++a.sequence;
                s.update_appointment(a);
                auto token = new_token();
                s.add_token_hash(a.id, hash_token(token), 5);
                add_room_token(s, a.id, token);
                json detail = {{"from", core::to_string(before.channel)},
                               {"to", core::to_string(a.channel)},
                               {"reason", "site_closed"}};
                s.add_event(a.id, "channel_changed", actor, detail.dump());
                s.add_audit({org.org.id, actor, "appointment.channel_changed", "appointment", a.id,
                             detail.dump()});
                plan_channel_changed(s, {a, *m, org.zone(*site), now, sealed(token)}, before);
            }
            item.appointment = a;
        }
    });
    if (p.outcome == Outcome::ok) {
        configuration_changed();
        queued();
    }
    return p;
}

}  // namespace vg::app

namespace vg::app {

TodayView classify_today(const std::vector<store::Appointment>& day, Instant now, Instant delay,
                         const std::set<Id>& arrived) {
    TodayView v;
    for (auto& a : day) {
        if (a.status != AppointmentStatus::booked && a.status != AppointmentStatus::confirmed)
            continue;
        if (arrived.count(a.id))
            v.arrived.push_back(a);
        else if (a.starts_at > now)
            v.coming.push_back(a);
        else if (a.starts_at + delay <= now)
            v.no_shows.push_back(a);
        else
            v.late.push_back(a);
    }
    return v;
}

namespace {

json rule_json(Id agent, const core::WeeklyRule& r) {
    return {{"agent", agent},
            {"weekdays", r.weekdays},
            {"start_minute", r.start_minute},
            {"end_minute", r.end_minute},
            {"valid_from", core::format_ymd(r.valid_from)},
            {"valid_until", r.valid_until ? json(core::format_ymd(*r.valid_until)) : json(nullptr)},
            {"every_n_weeks", r.every_n_weeks}};
}

}  // namespace

RecurringResult add_recurring_absence(BookingService& booking, const OrgData& org,
                                      const core::RecurringAbsence& a, const std::string& reason_in,
                                      const std::string& actor) {
    RecurringResult out;
    auto& r = out.result;
    // The same rules as a plan's (weekdays, hours, validity, every n weeks).
    core::OpeningPlan as_plan;
    as_plan.rule = a.rule;
    as_plan.site_id = org.sites.empty() ? 0 : org.sites.front().id;
    r.errors = check_plan(org, as_plan);
    auto reason = core::trim(reason_in);
    if (!core::is_valid_utf8(reason) || core::utf8_length(reason) > 200)
        r.errors["reason"] = "availability.error.too_long_text";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return out;
    }
    const Instant now = booking.clock().now();
    booking.store().write([&](store::Session& s) {
        if (!s.agent(org.org.id, a.agent_id)) {
            r.outcome = Outcome::not_found;
            return;
        }
        // Live appointments of the agent from now on that the rule covers, each in its site's
        // local time (read in the write transaction: none can slip in meanwhile).
        for (auto& x : s.appointments_between(org.org.id, now - 86400,
                                              std::numeric_limits<Instant>::max() / 2, true,
                                              a.agent_id, std::nullopt)) {
            if (x.ends_at <= now) continue;
            auto site = org.site(x.site_id);
            auto zone = site ? org.zone(*site) : org.default_zone();
            auto day = core::local_day_of(x.starts_at, zone);
            for (auto d : {day - 1, day}) {
                if (!a.rule.applies_on(d)) continue;
                auto midnight = core::start_of_local_day(d, zone);
                core::Interval span{midnight + Instant(a.rule.start_minute) * 60,
                                    midnight + Instant(a.rule.end_minute) * 60};
                if (span.overlaps({x.starts_at, x.ends_at})) {
                    out.hit.push_back(x);
                    break;
                }
            }
        }
        if (!out.hit.empty()) {
            r.outcome = Outcome::conflict;
            return;
        }
        r.id = s.insert_recurring_absence(org.org.id, a, reason);
        s.add_change({0, org.org.id, 0, actor, "recurring_absence", r.id, "create", "{}",
                      rule_json(a.agent_id, a.rule).dump()});
    });
    if (r.outcome == Outcome::ok) booking.configuration_changed();
    return out;
}

ConfigResult delete_recurring_absence(BookingService& booking, const OrgData& org, Id id,
                                      std::optional<Id> scope, const std::string& actor) {
    ConfigResult r;
    booking.store().write([&](store::Session& s) {
        auto old = s.recurring_absence(org.org.id, id);
        if (!old || (scope && *scope != old->absence.agent_id)) {
            r.outcome = Outcome::not_found;
            return;
        }
        s.delete_recurring_absence(org.org.id, id);
        s.add_change({0, org.org.id, 0, actor, "recurring_absence", id, "delete",
                      rule_json(old->absence.agent_id, old->absence.rule).dump(), "{}"});
        r.id = id;
    });
    if (r.outcome == Outcome::ok) booking.configuration_changed();
    return r;
}

}  // namespace vg::app
