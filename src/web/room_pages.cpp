// The video room's pages: what the citizen, the guest and the agent see around the call that
// static/room.js runs (docs/VIDEO_BROWSER.md). The room's rules (token, window, holder of the
// appointment, journal, invitations) are app::RoomService's; these handlers only show them.
#include "web/room_pages.hpp"

#include <date/tz.h>

#include <array>
#include <nlohmann/json.hpp>

#include "app/room_service.hpp"
#include "web/page.hpp"
#include "web/room_documents.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

// The texts room.js needs, given to it as data-t-<key> attributes (room.<key>).
constexpr std::array kScriptTexts = {"admit",
                                     "admitted",
                                     "audio_only",
                                     "bitrate",
                                     "camera_is_off",
                                     "camera_is_on",
                                     "camera_off",
                                     "camera_on",
                                     "document_choose",
                                     "document_failed",
                                     "document_received",
                                     "document_sent",
                                     "document_too_large",
                                     "ended",
                                     "error_generic",
                                     "error_not_open",
                                     "error_unauthorised",
                                     "from_me",
                                     "from_agent",
                                     "from_citizen",
                                     "from_guest",
                                     "guest_waiting",
                                     "ice_restart",
                                     "invite_invalid",
                                     "invite_revoked_you",
                                     "joining",
                                     "left",
                                     "lobby_citizen",
                                     "lobby_guest",
                                     "loss",
                                     "media_denied",
                                     "media_failed",
                                     "media_missing",
                                     "moved_done",
                                     "moved_to_phone",
                                     "moved_to_phone_no_number",
                                     "mute",
                                     "muted",
                                     "peer_joined",
                                     "peer_left",
                                     "quality",
                                     "quality_good",
                                     "quality_fair",
                                     "quality_poor",
                                     "quality_unknown",
                                     "reconnected",
                                     "reconnecting",
                                     "remote_video",
                                     "replaced",
                                     "rtt",
                                     "screen_video",
                                     "share",
                                     "share_received",
                                     "share_stopped",
                                     "sharing",
                                     "someone_waiting",
                                     "stop_share",
                                     "unmute",
                                     "unmuted",
                                     "unsupported",
                                     "waiting_since",
                                     "waiting_text",
                                     "waiting_title"};

// The identity check's choices (seed 003: the advisor checks identity at the start).
constexpr std::array kMethods = {"id_document", "file_questions", "known_person"};
constexpr std::array kResults = {"confirmed", "not_confirmed"};

template <std::size_t N>
bool one_of(const std::array<const char*, N>& list, const std::string& v) {
    for (auto x : list)
        if (v == x) return true;
    return false;
}

const date::time_zone* zone_of(const app::OrgData& org, const store::Appointment& a) {
    auto site = org.site(a.site_id);
    return site ? org.zone(*site) : org.default_zone();
}

bool wants_json(const Request& req) {
    auto accept = req.header("accept");
    return accept && accept->find("application/json") != std::string::npos;
}

std::string message_json(const std::string& message) {
    return nlohmann::json{{"message", message}}.dump();
}

class RoomPages {
  public:
    explicit RoomPages(app::Context& ctx) : ctx_(ctx) {}

    // Set by `serve`; routes answer 404 without it.
    app::RoomService& rooms() { return *ctx_.rooms; }

    // What every room page shows: the appointment's time, the rules, the script's texts.
    void common(Page& page, const app::OrgData& org, const app::Room& room) {
        auto& d = page.data();
        auto& a = room.appointment;
        auto zone = zone_of(org, a);
        d["when"] = page.format_datetime(a.starts_at, zone);
        d["time"] = page.format_time(a.starts_at, zone);
        d["opens"] = page.format_datetime(room.times.opens_at, zone);
        d["closes"] = page.format_datetime(room.times.closes_at, zone);
        if (auto m = org.motif(a.motif_id)) d["motif"] = m->name.pick(page.lang());
        d["device_test_url"] = "/" + org.org.slug + "/device-test?lang=" + page.lang();
        d["book_again_url"] = "/" + org.org.slug + "/?lang=" + page.lang();
        d["camera_required"] = room.organisation.camera_required;
        // The organisation's conduct rules (seed 000), else the room's three.
        mstch::array rules;
        if (org.terms) {
            auto text = org.terms->conduct_rules.pick(page.lang());
            std::size_t pos = 0;
            while (pos < text.size()) {
                auto nl = text.find('\n', pos);
                if (nl == std::string::npos) nl = text.size();
                if (nl > pos) rules.push_back(text.substr(pos, nl - pos));
                pos = nl + 1;
            }
        }
        if (rules.empty())
            for (auto k : {"room.rule_quiet", "room.rule_documents", "room.rule_punctual"})
                rules.push_back(page.t(k));
        d["rules"] = rules;
        mstch::array texts;
        for (auto k : kScriptTexts)
            texts.push_back(
                mstch::map{{"key", std::string(k)}, {"text", page.t("room." + std::string(k))}});
        texts.push_back(
            mstch::map{{"key", std::string("colon")}, {"text", page.t("common.colon")}});
        d["js_texts"] = texts;
    }

    // Before, during, after: the part of the page the window allows.
    void window(Page& page, const app::Room& room) {
        auto& d = page.data();
        switch (room.window) {
            case app::RoomWindow::not_yet:
                d["before"] = true;
                break;
            case app::RoomWindow::open:
                d["open"] = true;
                break;
            case app::RoomWindow::over: {
                auto& a = room.appointment;
                bool live = a.status == store::AppointmentStatus::booked ||
                            a.status == store::AppointmentStatus::confirmed;
                d["over"] = true;
                // Moved to the phone during the call: what the call ended with, again.
                d["over_title"] = page.t(
                    a.status == store::AppointmentStatus::cancelled ? "room.cancelled_title"
                    : live && a.channel == core::Channel::phone ? "room.moved_to_phone_no_number"
                                                                : "room.over_title");
                break;
            }
        }
    }

    static int status_of(const app::Room& room) {
        return room.window == app::RoomWindow::over ? 410 : 200;
    }

    // GET /room/{token}
    Response citizen(Request& req) {
        auto token = req.path_param("token").value_or("");
        if (!ctx_.rooms) return not_found(req);
        auto room = token.size() <= 128 ? rooms().by_token(token) : std::nullopt;
        auto org = room ? ctx_.booking.organisation(room->organisation.slug) : nullptr;
        if (!room || !org) return not_found(req);
        Page page(ctx_, req, org.get());
        common(page, *org, *room);
        window(page, *room);
        auto& d = page.data();
        d["role"] = std::string("citizen");
        d["room_token"] = token;
        d["documents_url"] = "/room/" + token + "/documents";
        d["waiting_text"] = page.t("room.waiting_text");
        d["heading"] = page.t("room.title");
        d["show_rules"] = true;
        // Opened at a partner's video desk (partner-booking, /partner/today): the button that
        // ends the call there and clears the partner's computer.
        if (auto desk = req.q("desk"); desk && !desk->empty() && desk->size() <= 12 &&
                                       desk->find_first_not_of("0123456789") == std::string::npos)
            d["desk_end_url"] = "/partner/today/" + *desk + "/done";
        return page.render(status_of(*room), "room/citizen", page.t("room.title"));
    }

    // GET /room/invite/{token}
    Response guest(Request& req) {
        auto token = req.path_param("token").value_or("");
        if (!ctx_.rooms) return not_found(req);
        auto invited = token.size() <= 128 ? rooms().by_invitation(token) : std::nullopt;
        auto org = invited ? ctx_.booking.organisation(invited->room.organisation.slug) : nullptr;
        if (!invited || !org) return not_found(req);
        Page page(ctx_, req, org.get());
        if (invited->invitation.revoked_at) return page.error(410, "room.invite_invalid");
        auto& room = invited->room;
        common(page, *org, room);
        window(page, room);
        auto& d = page.data();
        d["role"] = std::string("guest");
        d["invite_token"] = token;
        d["waiting_text"] = page.t("room.guest_waiting");
        d["heading"] = page.t("room.guest_title");
        d["intro"] = page.t("room.guest_intro");
        return page.render(status_of(room), "room/citizen", page.t("room.guest_title"));
    }

    Response not_found(const Request& req) {
        Page page(ctx_, req, nullptr);
        return page.error(404, "error_page.not_found");
    }

  private:
    app::Context& ctx_;
};

constexpr std::initializer_list<const char*> kStaffRoles = {"agent", "supervisor", "admin"};

class AgentRoom {
  public:
    explicit AgentRoom(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()), pages_(ctx_) {}

    // The room of the URL's appointment when this person holds it: nullopt and the refusal
    // (404 when not of the organisation, 403 for anyone but its agent) otherwise.
    std::optional<app::Room> load(const Request& req, const Staff& staff, Response& refusal) {
        auto id = StaffGate::id_param(req, "id");
        auto room = id && ctx_.rooms ? pages_.rooms().by_appointment(staff.organisation_id, *id)
                                     : std::nullopt;
        if (!room) {
            refusal = gate_->not_found(req);
            return std::nullopt;
        }
        if (!pages_.rooms().holds(staff.account_id(), room->appointment)) {
            refusal = gate_->forbidden(req);
            return std::nullopt;
        }
        return room;
    }

    // GET /console/appointments/{id}/room
    Response view(Request& req) {
        return gate_->with_staff(req, kStaffRoles, [&](Staff& staff) {
            Response refusal;
            auto room = load(req, staff, refusal);
            if (!room) return refusal;
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return gate_->not_found(req);
            Page page(ctx_, req, org.get(), staff.current.account.language);
            return show(page, *org, *room, 200);
        });
    }

    Response show(Page& page, const app::OrgData& org, const app::Room& room, int status) {
        auto& a = room.appointment;
        auto id = std::to_string(a.id);
        pages_.common(page, org, room);
        pages_.window(page, room);
        auto& d = page.data();
        d["role"] = std::string("agent");
        d["is_agent"] = true;
        d["id"] = id;
        d["appointment_id"] = id;
        d["citizen_name"] = a.citizen.first_name + " " + a.citizen.last_name;
        d["outcome_url"] = "/console/appointments/" + id + "?lang=" + page.lang() + "#outcome";
        d["not_video"] = a.channel != core::Channel::video;
        // The last identity check recorded, if any.
        for (auto& e : pages_.rooms().journal(room.appointment.organisation_id, a.id)) {
            if (e.kind != "identity_checked") continue;
            auto j = nlohmann::json::parse(e.detail, nullptr, false);
            if (!j.is_object()) continue;
            d["identity_done"] = label(page, j.value("method", ""), j.value("result", ""));
        }
        mstch::array invitations;
        auto zone = zone_of(org, a);
        for (auto& i : pages_.rooms().invitations(room.appointment.organisation_id, a.id)) {
            auto state = i.revoked_at ? "room.invite_revoked_state"
                         : i.used_at  ? "room.invite_used"
                                      : "room.invite_live";
            invitations.push_back(mstch::map{{"id", std::to_string(i.id)},
                                             {"when", page.format_datetime(i.created_at, zone)},
                                             {"state", page.t(state)},
                                             {"revocable", !i.revoked_at}});
        }
        d["invitations"] = invitations;
        d["has_invitations"] = !invitations.empty();
        mstch::array methods;
        for (auto m : kMethods)
            methods.push_back(mstch::map{{"code", std::string(m)},
                                         {"label", page.t("room.method." + std::string(m))},
                                         {"first", methods.empty()}});
        d["methods"] = methods;
        mstch::array results;
        for (auto r : kResults)
            results.push_back(mstch::map{{"code", std::string(r)},
                                         {"label", page.t("room.result." + std::string(r))},
                                         {"first", results.empty()}});
        d["results"] = results;
        add_room_documents(page, ctx_, org, a);  // room_documents.cpp
        return page.render(
            status, "room/agent",
            page.t("room.agent_title") + " – " + a.citizen.first_name + " " + a.citizen.last_name);
    }

    static std::string label(const Page& page, const std::string& method,
                             const std::string& result) {
        return page.t("room.method." + method) + " – " + page.t("room.result." + result);
    }

    // Every POST of the agent's room: CSRF, the holder, then f(staff, page, org, room, form).
    template <class F>
    Response on_room(Request& req, F f) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, kStaffRoles, [&](Staff& staff) -> Response {
            Response refusal;
            auto room = load(req, staff, refusal);
            if (!room) return refusal;
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return gate_->not_found(req);
            Page page(ctx_, req, org.get(), staff.current.account.language);
            return f(staff, page, *org, *room, form);
        });
    }

    // POST /console/appointments/{id}/room/identity: method and result, to the room's journal.
    Response identity(Request& req) {
        return on_room(req, [&](Staff& staff, Page& page, const app::OrgData& org,
                                const app::Room& room, const http::Params& form) {
            auto method = form_value(form, "method");
            auto result = form_value(form, "result");
            if (!one_of(kMethods, method) || !one_of(kResults, result)) {
                if (wants_json(req))
                    return Response::json(422, message_json(page.t("error.required")));
                page.data()["identity_error"] = page.t("error.required");
                return show(page, org, room, 422);
            }
            nlohmann::json detail{{"method", method}, {"result", result}, {"by", staff.actor()}};
            pages_.rooms().record(room.appointment, "agent", "", "identity_checked", detail.dump());
            auto done = page.t("room.identity_done") + " " + label(page, method, result);
            if (wants_json(req)) return Response::json(200, message_json(done));
            return Response::redirect("/console/appointments/" +
                                      std::to_string(room.appointment.id) +
                                      "/room?lang=" + page.lang());
        });
    }

    // Answers a room action: JSON for the page's script (which must not reload the call), the
    // room page again otherwise.
    Response answer(const Request& req, Page& page, const app::OrgData& org, const app::Room& room,
                    int status, const std::string& message, const std::string& url = "") {
        if (wants_json(req)) {
            nlohmann::json j{{"message", message}};
            if (!url.empty()) j["url"] = url;
            return Response::json(status, j.dump());
        }
        page.data()[status < 400 ? "room_notice" : "room_refusal"] = message;
        if (!url.empty()) page.data()["invite_url"] = url;
        return show(page, org, room, status);
    }

    // POST /console/appointments/{id}/room/invitations: a single-use link for a third
    // participant, shown once.
    Response invite(Request& req) {
        return on_room(req, [&](Staff& staff, Page& page, const app::OrgData& org,
                                const app::Room& room, const http::Params&) {
            auto link =
                pages_.rooms().invite(staff.organisation_id, room.appointment.id, staff.actor());
            if (!link) return answer(req, page, org, room, 409, page.t("room.invite_refused"));
            auto url = ctx_.settings.link_base + "/room/invite/" + link->token;
            return answer(req, page, org, room, 200, page.t("room.invite_created"), url);
        });
    }

    // POST /console/appointments/{id}/room/invitations/revoke (invitation=<id>)
    Response revoke(Request& req) {
        return on_room(req, [&](Staff& staff, Page& page, const app::OrgData& org,
                                const app::Room& room, const http::Params& form) {
            auto invitation = parse_id(form_value(form, "invitation"));
            if (!invitation || !pages_.rooms().revoke(staff.organisation_id, room.appointment.id,
                                                      *invitation, staff.actor()))
                return gate_->not_found(req);
            return answer(req, page, org, room, 200, page.t("room.invite_revoked"));
        });
    }

  private:
    static std::optional<core::Id> parse_id(const std::string& v) {
        if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        auto id = std::stoll(v);
        return id > 0 ? std::optional<core::Id>(id) : std::nullopt;
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    RoomPages pages_;
};

}  // namespace

void register_room_routes(http::Router& router, app::Context& ctx) {
    auto pages = std::make_shared<RoomPages>(ctx);
    router.get("/room/invite/{token}", [pages](Request& r) { return pages->guest(r); });
    router.get("/room/{token}", [pages](Request& r) { return pages->citizen(r); });
    register_room_document_routes(router, ctx);  // POST /room/{token}/documents
}

void register_room_console_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto room = std::make_shared<AgentRoom>(gate);
    router.get("/console/appointments/{id}/room", [room](Request& r) { return room->view(r); });
    router.post("/console/appointments/{id}/room/identity",
                [room](Request& r) { return room->identity(r); });
    router.post("/console/appointments/{id}/room/invitations",
                [room](Request& r) { return room->invite(r); });
    router.post("/console/appointments/{id}/room/invitations/revoke",
                [room](Request& r) { return room->revoke(r); });
    register_room_document_console_routes(router, gate);  // the documents' download
}

}  // namespace vg::web
