// The console's appointment page (/console/appointments/{id}) and its actions, booking on
// behalf of a citizen (/console/book), the outcome qualification (/console/admin/outcomes).
#include "web/console_appointment.hpp"

#include <date/tz.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "app/console_appointment.hpp"
#include "app/room_service.hpp"
#include "app/staff_scope.hpp"
#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"
#include "web/booking_flow.hpp"
#include "web/booking_steps.hpp"
#include "web/console_agenda.hpp"
#include "web/room_documents.hpp"

namespace vg::web {

using http::Request;
using http::Response;
using store::AppointmentStatus;

bool may_see(store::Store& db, const Staff& staff, const store::Appointment& a) {
    if (a.organisation_id != staff.organisation_id) return false;
    if (staff.agent_id && *staff.agent_id == a.agent_id) return true;
    if (!staff.supervisor()) return false;
    bool visible = false;
    db.read(
        [&](store::Session& s) { visible = app::may_see_agent(s, scope_of(staff), a.agent_id); });
    return visible;
}

namespace {

constexpr std::initializer_list<const char*> kStaffRoles = {"agent", "supervisor", "admin"};
constexpr std::initializer_list<const char*> kBookRoles = {"agent", "supervisor"};
constexpr std::initializer_list<const char*> kAdminRoles = {"admin"};

bool live(const store::Appointment& a) {
    return a.status == AppointmentStatus::booked || a.status == AppointmentStatus::confirmed;
}

std::string label_of(const store::OutcomeItem* i, const std::string& lang) {
    return i ? i->label.pick(lang) : std::string();
}

const store::OutcomeItem* item_by_code(const std::vector<store::OutcomeItem>& items,
                                       const std::string& code) {
    for (auto& i : items)
        if (i.code == code) return &i;
    return nullptr;
}

// ---- The video room's journal (issue 13, docs/VIDEO.md) ----
// Every row of room_events in the staff's language: when (the site's time zone, to the
// second), who (citizen, agent, guest, server and the participant id), what, and its detail
// (a chat's length, never its text; a document's name and size).
mstch::array room_journal(Page& page, app::RoomService& rooms, const store::Appointment& a,
                          const date::time_zone* zone) {
    auto events = rooms.journal(a.organisation_id, a.id);
    std::map<std::string, std::string> role_of;  // participant -> role, for "admitted"
    for (auto& e : events)
        if (!e.participant.empty()) role_of.emplace(e.participant, e.role);
    auto say = [&](const std::string& key, const std::string& fallback) {
        auto out = page.t(key);
        return out == key ? fallback : out;
    };
    auto role = [&](const std::string& r) { return say("room_journal.role." + r, r); };
    mstch::array rows;
    for (auto& e : events) {
        auto j = nlohmann::json::parse(e.detail.empty() ? "{}" : e.detail, nullptr, false);
        if (!j.is_object()) j = nlohmann::json::object();
        auto str = [&](const char* k) {
            return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
        };
        auto num = [&](const char* k) {
            return j.contains(k) && j[k].is_number_integer() ? j[k].get<long long>() : 0LL;
        };
        std::string detail;
        if (e.kind == "admitted") {
            auto who = str("participant");
            auto it = role_of.find(who);
            detail = (it == role_of.end() ? std::string() : role(it->second) + " ") + who;
        } else if (e.kind == "chat") {
            detail = text::I18n::fill(page.t("room_journal.chars"), "{n}",
                                      std::to_string(num("length")));
        } else if (e.kind == "document") {
            auto kb = (num("size") + 1023) / 1024;
            detail = str("name") + ", " +
                     text::I18n::fill(page.t("room_journal.kb"), "{n}", std::to_string(kb));
        } else if (e.kind == "identity_checked") {
            detail = say("room.method." + str("method"), str("method")) + " – " +
                     say("room.result." + str("result"), str("result"));
        } else if (e.kind == "invitation_created" || e.kind == "invitation_revoked") {
            detail = "#" + std::to_string(num("invitation"));
        } else if (e.kind == "late_choice") {
            detail = say("room_journal.choice." + str("choice"), str("choice"));
        } else if (e.kind == "joined" || e.kind == "rejoined") {
            detail = str("browser");  // the browser family (core::browser_family)
        } else {
            detail = str("detail");  // the client events: "relay", "host", a browser...
        }
        auto p = core::local_parts(e.at, zone);
        char clock[16];
        std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", p.hour, p.minute,
                      int(((e.at % 60) + 60) % 60));
        rows.push_back(
            mstch::map{{"when", page.format_date(core::local_day_of(e.at, zone)) + " " + clock},
                       {"role", role(e.role)},
                       {"participant", e.participant},
                       {"what", say("room_journal.kind." + e.kind, e.kind)},
                       {"detail", detail}});
    }
    return rows;
}

class AppointmentPages {
  public:
    explicit AppointmentPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          svc_(ctx_.booking),
          steps_(gate_, booking_flow()) {}

    // ---- The appointment page ----

    Response view(Request& req) {
        return gate_->with_staff(req, kStaffRoles, [&](Staff& staff) {
            auto file = load(req, staff);
            if (!file) return gate_->not_found(req);
            Page page(ctx_, req, &file->view.org, staff.current.account.language);
            if (auto done = req.q("done"))
                if (done->size() < 32 &&
                    done->find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos)
                    page.data()["notice"] = page.t("appointment.done." + *done);
            return show(page, staff, *file, 200);
        });
    }

    // One action: CSRF, role, the access rule, then run(staff, id) -> result.
    template <class F>
    Response action(Request& req, const std::string& name, F run) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, kStaffRoles, [&](Staff& staff) -> Response {
            auto file = load(req, staff);
            if (!file) return gate_->not_found(req);
            auto id = file->view.appointment.id;
            app::ChangeResult r = run(staff, id, form);
            Page page(ctx_, req, &file->view.org, staff.current.account.language);
            switch (r.outcome) {
                case app::Outcome::ok:
                    return Response::redirect("/console/appointments/" + std::to_string(id) +
                                              "?done=" + name + "&lang=" + page.lang());
                case app::Outcome::invalid:
                    page.add_errors(r.errors, "appointment");
                    for (auto field : {"reason", "note"})
                        page.data()["form_" + std::string(field)] = form_value(form, field);
                    return show(page, staff, *svc_.file(staff.organisation_id, id), 422, &form);
                case app::Outcome::conflict:
                    page.data()["refusal"] = page.t("booking.slot_taken");
                    return show(page, staff, *svc_.file(staff.organisation_id, id), 409);
                case app::Outcome::gone:
                    page.data()["refusal"] = page.t("appointment.refused." + name);
                    return show(page, staff, *svc_.file(staff.organisation_id, id), 409);
                default:
                    return gate_->not_found(req);
            }
        });
    }

    Response present(Request& req) {
        return action(req, "present", [&](Staff& st, core::Id id, const http::Params&) {
            return ctx_.booking.record_arrival(st.organisation_id, id, st.actor());
        });
    }
    Response no_show(Request& req) {
        return action(req, "no_show", [&](Staff& st, core::Id id, const http::Params&) {
            return ctx_.booking.record_outcome(st.organisation_id, id, AppointmentStatus::no_show,
                                               st.actor());
        });
    }
    Response done(Request& req) {
        return action(req, "outcome", [&](Staff& st, core::Id id, const http::Params& form) {
            store::AppointmentOutcome o;
            o.resolved = form_value(form, "resolved");
            o.request_type = form_value(form, "request_type");
            o.theme = form_value(form, "theme");
            o.autonomy = form_value(form, "autonomy");
            return ctx_.booking.record_done(st.organisation_id, id, o, st.actor());
        });
    }
    Response phone(Request& req) {
        return action(req, "phone", [&](Staff& st, core::Id id, const http::Params&) {
            return ctx_.booking.move_to_phone(st.organisation_id, id, st.actor());
        });
    }
    Response cancel(Request& req) {
        return action(req, "cancel", [&](Staff& st, core::Id id, const http::Params& form) {
            return ctx_.booking.cancel_by_agency(st.organisation_id, id, form_value(form, "reason"),
                                                 st.actor());
        });
    }
    Response note(Request& req) {
        return action(req, "note", [&](Staff& st, core::Id id, const http::Params& form) {
            return svc_.add_note(st.organisation_id, id, form_value(form, "note"), st.actor(),
                                 st.name());
        });
    }

    // The agent's reschedule: the week of free slots of the same motif and channel (the
    // citizen's reschedule page, by id), then a confirmation.
    Response reschedule_form(Request& req) {
        return gate_->with_staff(req, kStaffRoles, [&](Staff& staff) {
            auto file = load(req, staff);
            if (!file) return gate_->not_found(req);
            Page page(ctx_, req, &file->view.org, staff.current.account.language);
            auto& v = file->view;
            if (!v.changeable(ctx_.now())) {
                page.data()["refusal"] = page.t("appointment.refused.reschedule");
                return show(page, staff, *file, 409);
            }
            fill(page, staff, *file);
            if (auto slot = req.q("slot")) {
                auto start = parse_number(*slot);
                if (!start) return page.error(400, "error_page.bad_request");
                auto m = v.motif();
                auto end = *start + core::Instant(m->rules.duration_minutes) * 60;
                page.data()["new_summary"] =
                    summary(page, v.org, *m, v.appointment.channel, v.site(), *start, end);
                page.data()["slot"] = std::to_string(*start);
                return page.render(200, "console/appointment_reschedule_confirm",
                                   page.t("appointment.reschedule_title"));
            }
            return week(page, *file, req, 200);
        });
    }

    Response reschedule(Request& req) {
        return action(req, "reschedule", [&](Staff& st, core::Id id, const http::Params& form) {
            auto start = parse_number(form_value(form, "slot"));
            if (!start)
                return app::ChangeResult{
                    app::Outcome::invalid, {{"slot", "error.required"}}, {}, {}};
            return ctx_.booking.reschedule_by_agency(st.organisation_id, id, *start, std::nullopt,
                                                     st.actor());
        });
    }

    // ---- Booking on behalf of a citizen ----

    Response book_form(Request& req) { return steps_.form(req); }
    Response book(Request& req) { return steps_.book(req); }

    // ---- The outcome qualification (administrators) ----

    Response outcomes(Request& req) {
        return gate_->with_staff(req, kAdminRoles, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return outcomes_page(page, staff, 200);
        });
    }

    Response outcomes_change(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, kAdminRoles, [&](Staff& staff) -> Response {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto op = form_value(form, "op");
            store::LocalText label;
            for (auto lang : {"fr", "en", "nl", "de"})
                label.by_lang[lang] = form_value(form, std::string("label_") + lang);
            app::ItemResult r;
            auto id = parse_number(form_value(form, "item"));
            if (op == "add")
                r = svc_.add_item(staff.organisation_id, form_value(form, "group"),
                                  form_value(form, "category"), label, staff.actor());
            else if (op == "rename" && id)
                r = svc_.rename_item(staff.organisation_id, *id, label, staff.actor());
            else if (op == "retire" && id)
                r = svc_.retire_item(staff.organisation_id, *id, staff.actor());
            else
                return page.error(400, "error_page.bad_request");
            switch (r.outcome) {
                case app::Outcome::ok:
                    return Response::redirect("/console/admin/outcomes?lang=" + page.lang());
                case app::Outcome::invalid:
                    page.add_errors(r.errors, "appointment");
                    return outcomes_page(page, staff, 422);
                case app::Outcome::gone:
                    page.data()["refusal"] = page.t("appointment.refused.retire");
                    return outcomes_page(page, staff, 409);
                default:
                    return gate_->not_found(req);
            }
        });
    }

  private:
    std::optional<app::AppointmentFile> load(const Request& req, const Staff& staff) {
        auto id = StaffGate::id_param(req, "id");
        if (!id) return std::nullopt;
        auto file = svc_.file(staff.organisation_id, *id);
        if (!file || !may_see(ctx_.booking.store(), staff, file->view.appointment))
            return std::nullopt;
        return file;
    }

    void fill(Page& page, const Staff& staff, const app::AppointmentFile& f,
              const http::Params* form = nullptr) {
        auto& d = page.data();
        auto& v = f.view;
        auto& a = v.appointment;
        auto lang = page.lang();
        auto now = ctx_.now();
        auto site = v.site();
        auto zone = site ? v.org.zone(*site) : v.org.default_zone();
        d["id"] = std::to_string(a.id);
        d["citizen_name"] = a.citizen.first_name + " " + a.citizen.last_name;
        d["citizen_email"] = a.citizen.email;
        d["citizen_phone"] = a.citizen.phone;
        d["citizen_language"] = page.t("appointment.language." + a.citizen.language);
        d["beneficiary_number"] = a.citizen.beneficiary_number;
        d["needs"] = a.citizen.needs;
        d["terms_version"] = std::to_string(a.terms_version);
        d["status"] = page.t("appointment.status." + std::string(store::to_string(a.status)));
        d["agent_name"] = f.agent ? f.agent->display_name : std::string();
        d["cancel_reason"] = a.cancel_reason;
        if (auto m = v.motif())
            d["summary"] = summary(page, v.org, *m, a.channel, site, a.starts_at, a.ends_at);
        d["site_label"] = site ? site->name : std::string();
        std::string origin = page.t("appointment.origin." + a.booked_by.kind);
        d["origin"] = origin;
        d["arrived"] = f.arrived;
        // History
        mstch::array events;
        for (auto& e : f.events) {
            auto kind = page.t("appointment.event." + e.kind);
            if (kind == "appointment.event." + e.kind) kind = e.kind;
            std::string who;
            if (auto it = f.actor_names.find(e.actor); it != f.actor_names.end())
                who = it->second;
            else {
                who = page.t("appointment.actor." + e.actor);
                if (who == "appointment.actor." + e.actor) who = e.actor;
            }
            events.push_back(mstch::map{
                {"when", page.format_datetime(e.at, zone)}, {"what", kind}, {"who", who}});
        }
        d["events"] = events;
        mstch::array notes;
        for (auto& n : f.notes)
            notes.push_back(mstch::map{{"when", page.format_datetime(n.at, zone)},
                                       {"author", n.author_name},
                                       {"body", n.body}});
        d["notes"] = notes;
        d["has_notes"] = !f.notes.empty();
        // Outcome
        if (f.outcome) {
            d["outcome_resolved"] = page.t("appointment.resolved." + f.outcome->resolved);
            d["outcome_request_type"] =
                label_of(item_by_code(f.items, f.outcome->request_type), lang);
            d["outcome_theme"] = label_of(item_by_code(f.items, f.outcome->theme), lang);
            d["outcome_autonomy"] = label_of(item_by_code(f.items, f.outcome->autonomy), lang);
            d["has_outcome"] = true;
        }
        // What can be done now (the actions check again when they run).
        bool is_live = live(a), started = a.starts_at <= now;
        d["can_present"] = is_live && !f.arrived && now >= a.starts_at - 3600;
        d["can_no_show"] = is_live && started;
        d["can_outcome"] = (is_live && started) || a.status == AppointmentStatus::honoured;
        d["can_phone"] = v.changeable(now) && a.channel != core::Channel::phone;
        d["can_cancel"] = v.changeable(now);
        d["can_reschedule"] = v.changeable(now);
        d["is_supervisor"] = staff.supervisor();
        // The video room (room_pages.cpp): its agent only.
        if (a.channel == core::Channel::video && staff.agent_id && *staff.agent_id == a.agent_id) {
            d["room_url"] = "/console/appointments/" + std::to_string(a.id) + "/room?lang=" + lang;
            add_room_documents(page, ctx_, v.org, a);  // the room's documents (room_documents.cpp)
        }
        // The room's journal: a video appointment's, or one moved to the phone during the call.
        if (auto rows = ctx_.rooms ? room_journal(page, *ctx_.rooms, a, zone) : mstch::array();
            !rows.empty() || a.channel == core::Channel::video) {
            d["has_room_journal"] = !rows.empty();
            d["room_journal"] = rows;
            d["show_room_journal"] = true;
            d["room_journal_zone"] =
                page.zone_label(site ? site->time_zone : v.org.org.default_time_zone);
        }
        outcome_fields(page, f, form);
    }

    // The outcome form: what was just sent (form), else what is stored.
    void outcome_fields(Page& page, const app::AppointmentFile& f, const http::Params* form) {
        auto lang = page.lang();
        auto chosen = [&](const std::string& name, const std::string& stored) {
            return form ? form_value(*form, name) : stored;
        };
        auto resolved = chosen("resolved", f.outcome ? f.outcome->resolved : "");
        mstch::array resolved_choices;
        for (auto code : {"yes", "partially", "no"})
            resolved_choices.push_back(
                mstch::map{{"code", std::string(code)},
                           {"label", page.t("appointment.resolved." + std::string(code))},
                           {"checked", resolved == code}});
        page.data()["resolved_choices"] = resolved_choices;
        auto options = [&](const std::string& group, const std::string& selected) {
            mstch::array out;
            for (auto& i : f.items)
                if (i.group == group && (!i.retired_at || i.code == selected))
                    out.push_back(mstch::map{{"code", i.code},
                                             {"label", i.label.pick(lang)},
                                             {"selected", i.code == selected}});
            return out;
        };
        auto rt = chosen("request_type", f.outcome ? f.outcome->request_type : "");
        mstch::array categories;
        for (auto& c : f.items) {
            if (c.group != "category") continue;
            mstch::array items;
            for (auto& i : f.items)
                if (i.group == "request_type" && i.category == c.code &&
                    (!i.retired_at || i.code == rt))
                    items.push_back(mstch::map{{"code", i.code},
                                               {"label", i.label.pick(lang)},
                                               {"selected", i.code == rt}});
            if (!items.empty())
                categories.push_back(mstch::map{{"label", c.label.pick(lang)}, {"items", items}});
        }
        page.data()["request_categories"] = categories;
        page.data()["theme_options"] =
            options("theme", chosen("theme", f.outcome ? f.outcome->theme : ""));
        page.data()["autonomy_options"] =
            options("autonomy", chosen("autonomy", f.outcome ? f.outcome->autonomy : ""));
    }

    Response show(Page& page, const Staff& staff, const app::AppointmentFile& f, int status,
                  const http::Params* form = nullptr) {
        fill(page, staff, f, form);
        auto& a = f.view.appointment;
        return page.render(
            status, "console/appointment_view",
            page.t("appointment.title") + " – " + a.citizen.first_name + " " + a.citizen.last_name);
    }

    Response week(Page& page, const app::AppointmentFile& f, const Request& req, int status) {
        auto& v = f.view;
        auto m = v.motif();
        auto site = v.site();
        auto zone = site ? v.org.zone(*site) : v.org.default_zone();
        app::SlotQuery q{m->id, v.appointment.channel, std::nullopt, 0, 0};
        bool any_site = v.appointment.channel == core::Channel::video && site && !site->is_partner;
        if (!any_site) q.site_id = v.appointment.site_id;
        auto today = core::local_day_of(ctx_.now(), zone);
        auto first = first_day(v.org, q, zone);
        auto w = choose_week(asked_week(req), first.value_or(today), today, m->rules.horizon_days,
                             first);
        q.from = w.monday;
        q.to = w.monday + 6;
        auto slots = ctx_.booking.slots(v.org, q);
        std::erase_if(slots, [&](auto& s) { return s.start == v.appointment.starts_at; });
        add_week(page, slots, w,
                 "/console/appointments/" + std::to_string(v.appointment.id) +
                     "/reschedule?lang=" + page.lang() + "&");
        return page.render(status, "console/appointment_reschedule",
                           page.t("appointment.reschedule_title"));
    }

    // The day of the first free slot, shown first: within two weeks (the agent's lead-time
    // override included), else the booking pages' first slot (memoised).
    std::optional<core::LocalDay> first_day(const app::OrgData& org, app::SlotQuery q,
                                            const date::time_zone* zone) {
        q.from = core::local_day_of(ctx_.now(), zone);
        q.to = q.from + 13;
        auto soon = ctx_.booking.slots(org, q);
        if (!soon.empty()) return core::local_day_of(soon.front().start, soon.front().zone);
        q.ignore_lead_time = false;
        if (auto s = ctx_.booking.first_slot(org, q)) return core::local_day_of(s->start, s->zone);
        return std::nullopt;
    }

    struct Choice {
        const store::Motif* motif = nullptr;
        std::optional<Mode> mode;
        const store::Site* site = nullptr;
        bool needs_site = false;
        bool ignore_lead_time = false;
        bool complete() const { return motif && mode && (site || !needs_site); }
    };

    static Choice read_choice(const app::OrgData& org, const http::Params& p) {
        Choice c;
        c.ignore_lead_time = form_value(p, "lead") == "1";
        if (auto id = parse_number(form_value(p, "motif"))) c.motif = org.public_motif(*id);
        if (!c.motif) return c;
        if (auto mode = parse_mode(form_value(p, "mode"))) {
            auto allowed = modes_for(org, *c.motif);
            if (std::any_of(allowed.begin(), allowed.end(),
                            [&](const Mode& m) { return m.code == mode->code; }))
                c.mode = mode;
        }
        if (!c.mode) return c;
        auto choices = sites_for(org, *c.mode);
        c.needs_site = !choices.empty();
        if (auto id = parse_number(form_value(p, "site")))
            for (auto* s : choices)
                if (s->id == *id) c.site = s;
        if (!c.site && choices.size() == 1) c.site = choices.front();
        return c;
    }

    void choice_fields(Page& page, const app::OrgData& org, const Choice& c) {
        auto& d = page.data();
        auto lang = page.lang();
        mstch::array motifs;
        for (auto& m : org.motifs)
            if (m.is_public)
                motifs.push_back(mstch::map{{"id", std::to_string(m.id)},
                                            {"name", m.name.pick(lang)},
                                            {"selected", c.motif == &m}});
        d["motifs"] = motifs;
        mstch::array modes;
        for (auto code : {"video", "partner", "on_site", "phone"})
            modes.push_back(mstch::map{{"code", std::string(code)},
                                       {"name", page.t("mode." + std::string(code))},
                                       {"selected", c.mode && c.mode->code == code}});
        d["modes"] = modes;
        mstch::array sites;
        for (auto& s : org.sites)
            sites.push_back(mstch::map{
                {"id", std::to_string(s.id)}, {"name", s.name}, {"selected", c.site == &s}});
        d["sites"] = sites;
        d["lead_checked"] = c.ignore_lead_time;
        if (c.motif) d["motif_id"] = std::to_string(c.motif->id);
        if (c.mode) d["mode"] = c.mode->code;
        if (c.site) d["site_id"] = std::to_string(c.site->id);
        d["lead"] = std::string(c.ignore_lead_time ? "1" : "");
        if (c.motif && c.mode && !c.complete()) d["choose_site"] = true;
    }

    std::string choice_url(const Page& page, const Choice& c) {
        std::string url = "/console/book?lang=" + page.lang() +
                          "&motif=" + std::to_string(c.motif->id) + "&mode=" + c.mode->code;
        if (c.site) url += "&site=" + std::to_string(c.site->id);
        if (c.ignore_lead_time) url += "&lead=1";
        return url + "&";
    }

    // The booking on behalf (booking_steps.hpp): the agent's choice is any public motif, in
    // the modes and at the agencies it offers, the motif's minimum lead time ignored on
    // request; the confirmation links to the appointment's page when the person may see it.
    BookingFlow booking_flow() {
        BookingFlow f;
        f.gate = [this](const Request& req, const BookingFlow::Run& run) {
            return gate_->with_staff(req, kBookRoles, run);
        };
        f.post_gate = [this](const Request& req, const http::Params& form,
                             const BookingFlow::Run& run) {
            return gate_->post_with_staff(req, form, kBookRoles, run);
        };
        f.choice_params = {"motif", "mode", "site", "lead", "slot"};
        f.choose = [this](Page& page, const app::OrgData& org, const Staff&,
                          const http::Params& p) {
            auto c = read_choice(org, p);
            choice_fields(page, org, c);
            BookingChoice out;
            out.complete = c.complete();
            if (!out.complete) return out;
            out.motif = c.motif;
            out.query = {c.motif->id, c.mode->channel, std::nullopt, 0, 0, c.ignore_lead_time};
            if (c.site) out.query.site_id = c.site->id;
            out.zone = c.site ? org.zone(*c.site) : org.default_zone();
            out.url = choice_url(page, c);
            return out;
        };
        f.refuse_incomplete = true;
        f.first_day = [this](const app::OrgData& org, const BookingChoice& c) {
            return first_day(org, c.query, c.zone);
        };
        f.book = [this](Page&, const app::OrgData& org, const Staff& staff, const BookingChoice& c,
                        const http::Params& form, core::Instant start,
                        const core::CitizenInput& citizen) {
            app::BookRequest br;
            br.motif_id = c.query.motif_id;
            br.channel = c.query.channel;
            br.start = start;
            br.site_id = c.query.site_id;
            br.citizen = citizen;
            br.accept_terms = form_value(form, "accept_terms") == "yes";
            br.terms_version = parse_int(form_value(form, "terms_version")).value_or(0);
            br.actor = {"agent", staff.agent_id, std::nullopt};
            br.by = staff.actor();  // the account, in the history and the audit journal
            br.idempotency_key = form_value(form, "booking_key");
            br.ignore_lead_time = c.query.ignore_lead_time;
            auto r = ctx_.booking.book(org, br);
            return BookingAnswer{r.outcome, r.errors, r.appointment, false};
        };
        f.booked_fields = [this](Page& page, const Staff& staff, const store::Appointment& a) {
            if (may_see(ctx_.booking.store(), staff, a))
                page.data()["appointment_url"] = "/console/appointments/" + std::to_string(a.id);
        };
        f.not_found = [](const Request&, Page& page) {
            return page.error(404, "error_page.not_found");
        };
        f.templates = {.choice = "console/appointment_book",
                       .details = "console/appointment_book_details",
                       .booked = "console/appointment_booked"};
        f.titles = {.steps = "appointment.book_title", .booked = "appointment.booked_title"};
        f.labels = "appointment";
        return f;
    }

    Response outcomes_page(Page& page, const Staff& staff, int status) {
        auto items = svc_.outcome_items(staff.organisation_id);
        auto lang = page.lang();
        mstch::array groups;
        for (auto group : {"category", "request_type", "theme", "autonomy"}) {
            mstch::array list;
            for (auto& i : items) {
                if (i.group != group) continue;
                mstch::map m{{"id", std::to_string(i.id)},
                             {"code", i.code},
                             {"label", i.label.pick(lang)},
                             {"retired", bool(i.retired_at)}};
                for (auto l : {"fr", "en", "nl", "de"}) {
                    auto it = i.label.by_lang.find(l);
                    m[std::string("label_") + l] =
                        it == i.label.by_lang.end() ? std::string() : it->second;
                }
                if (!i.category.empty())
                    m["category"] = label_of(item_by_code(items, i.category), lang);
                list.push_back(m);
            }
            groups.push_back(
                mstch::map{{"code", std::string(group)},
                           {"title", page.t("appointment.group." + std::string(group))},
                           {"items", list}});
        }
        page.data()["groups"] = groups;
        mstch::array categories;
        for (auto& i : items)
            if (i.group == "category" && !i.retired_at)
                categories.push_back(mstch::map{{"code", i.code}, {"label", i.label.pick(lang)}});
        page.data()["categories"] = categories;
        return page.render(status, "console/appointment_outcomes",
                           page.t("appointment.outcomes_title"));
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::ConsoleAppointments svc_;
    BookingSteps steps_;
};

}  // namespace

void register_appointment_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto pages = std::make_shared<AppointmentPages>(gate);
    router.get("/console/appointments/{id}", [pages](Request& r) { return pages->view(r); });
    router.post("/console/appointments/{id}/present",
                [pages](Request& r) { return pages->present(r); });
    router.post("/console/appointments/{id}/no-show",
                [pages](Request& r) { return pages->no_show(r); });
    router.post("/console/appointments/{id}/done", [pages](Request& r) { return pages->done(r); });
    router.post("/console/appointments/{id}/phone",
                [pages](Request& r) { return pages->phone(r); });
    router.post("/console/appointments/{id}/cancel",
                [pages](Request& r) { return pages->cancel(r); });
    router.post("/console/appointments/{id}/note", [pages](Request& r) { return pages->note(r); });
    router.get("/console/appointments/{id}/reschedule",
               [pages](Request& r) { return pages->reschedule_form(r); });
    router.post("/console/appointments/{id}/reschedule",
                [pages](Request& r) { return pages->reschedule(r); });
    router.get("/console/book", [pages](Request& r) { return pages->book_form(r); });
    router.post("/console/book", [pages](Request& r) { return pages->book(r); });
    router.get("/console/admin/outcomes", [pages](Request& r) { return pages->outcomes(r); });
    router.post("/console/admin/outcomes",
                [pages](Request& r) { return pages->outcomes_change(r); });
}

}  // namespace vg::web
