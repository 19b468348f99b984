#include "app/message_plan.hpp"

#include <date/tz.h>

#include <nlohmann/json.hpp>

#include "core/timefmt.hpp"

namespace vg::app {

using nlohmann::json;

namespace {

std::string key_base(const std::string& kind, const store::Appointment& a) {
    return kind + ":" + std::to_string(a.id) + ":" + std::to_string(a.sequence);
}

// Citizen messages: e-mail and/or SMS, whichever contact the citizen gave.
void to_citizen(store::Session& s, const MessageContext& c, const std::string& kind,
                core::Instant due, const std::string& suffix, bool sms, json extra = {}) {
    auto& a = c.appointment;
    json payload = {{"appointment_id", a.id}, {"sequence", a.sequence}, {"recipient", "citizen"}};
    if (!c.sealed_token.empty()) payload["token"] = c.sealed_token;
    for (auto& [k, v] : extra.items()) payload[k] = v;
    auto key = key_base(kind, a) + suffix;
    if (!a.citizen.email.empty())
        s.enqueue({a.organisation_id, a.id, key + ":email", kind, "email", payload.dump(), due});
    if (sms && !a.citizen.phone.empty())
        s.enqueue({a.organisation_id, a.id, key + ":sms", kind, "sms", payload.dump(), due});
}

// Next 07:00 in the site's zone: when daily digests go out.
core::Instant next_digest_time(core::Instant now, const date::time_zone* zone) {
    auto day = core::local_day_of(now, zone);
    for (int i = 0; i < 3; ++i) {
        auto t = core::start_of_local_day(day + i, zone) + 7 * 3600;
        if (t > now) return t;
    }
    return now;
}

void to_agent(store::Session& s, const MessageContext& c, const std::string& kind,
              const store::Appointment& a) {
    auto agent = s.agent(a.organisation_id, a.agent_id);
    if (!agent || agent->email.empty()) return;
    bool digest = agent->notify_mode == "digest";
    json payload = {{"appointment_id", a.id}, {"sequence", a.sequence}, {"recipient", "agent"},
                    {"agent_id", agent->id},  {"digest", digest},       {"starts_at", a.starts_at},
                    {"ends_at", a.ends_at}};
    auto due = digest ? next_digest_time(c.now, c.zone) : c.now;
    s.enqueue({a.organisation_id, a.id, key_base(kind, a) + ":agent" + std::to_string(agent->id),
               kind, "email", payload.dump(), due});
}

void plan_future(store::Session& s, const MessageContext& c) {
    auto& a = c.appointment;
    for (int minutes : c.motif.reminder_minutes) {
        core::Instant due = a.starts_at - core::Instant(minutes) * 60;
        if (due <= c.now + 600) continue;  // too close: the confirmation says it all
        // SMS only for the last reminder (the shortest delay): cost and annoyance.
        bool last = minutes == *std::min_element(c.motif.reminder_minutes.begin(),
                                                 c.motif.reminder_minutes.end());
        // Built without operator+ on a temporary: GCC 12 -O3 warns falsely about it.
        std::string suffix = std::to_string(minutes);
        suffix.insert(suffix.begin(), ':');
        to_citizen(s, c, "reminder", due, suffix, last, {{"minutes_before", minutes}});
    }
    to_citizen(s, c, "thank_you", a.ends_at + kThankYouDelayMinutes * 60, "", false);
}

const std::vector<std::string> kFutureKinds = {"reminder", "thank_you"};

}  // namespace

void plan_booked(store::Session& s, const MessageContext& c) {
    to_citizen(s, c, "confirmation", c.now, "", true);
    plan_future(s, c);
    to_agent(s, c, "agent_booked", c.appointment);
}

void plan_rescheduled(store::Session& s, const MessageContext& c,
                      const store::Appointment& before) {
    s.cancel_pending(c.appointment.id, kFutureKinds);
    to_citizen(s, c, "reschedule", c.now, "", true, {{"previous_start", before.starts_at}});
    plan_future(s, c);
    to_agent(s, c, "agent_removed", before);
    to_agent(s, c, "agent_booked", c.appointment);
}

void plan_changed(store::Session& s, const MessageContext& c, const std::string& kind) {
    s.cancel_pending(c.appointment.id, kFutureKinds);
    to_citizen(s, c, kind, c.now, "", true);
    plan_future(s, c);
}

void plan_cancelled(store::Session& s, const MessageContext& c, const std::string& by) {
    s.cancel_pending(c.appointment.id, kFutureKinds);
    to_citizen(s, c, "cancellation", c.now, "", true, {{"by", by}});
    to_agent(s, c, "agent_removed", c.appointment);
}

void plan_reassigned(store::Session& s, const MessageContext& c, const store::Appointment& before) {
    to_agent(s, c, "agent_removed", before);
    to_agent(s, c, "agent_booked", c.appointment);
}

void plan_channel_changed(store::Session& s, const MessageContext& c,
                          const store::Appointment& before) {
    s.cancel_pending(c.appointment.id, kFutureKinds);
    to_citizen(s, c, "channel_changed", c.now, "", true,
               {{"previous_channel", core::to_string(before.channel)}});
    plan_future(s, c);
}

}  // namespace vg::app
