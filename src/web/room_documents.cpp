// Documents in the video room: what the citizen's upload and the agent's download say over
// HTTP (docs/VIDEO.md, "Documents"). The rules are app::RoomDocuments'.
#include "web/room_documents.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/room_documents.hpp"
#include "app/room_service.hpp"
#include "http/multipart.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

// The slack beyond 10 MiB for the form's other fields and the multipart framing.
constexpr std::size_t kFormSlack = 64 * 1024;

bool is_upload(const std::string& method, const std::string& target) {
    if (method != "POST" || target.rfind("/room/", 0) != 0) return false;
    auto path = target.substr(0, target.find('?'));
    auto slash = path.find('/', 6);
    return slash != std::string::npos && slash > 6 && path.substr(slash) == "/documents";
}

bool wants_json(const Request& req) {
    auto accept = req.header("accept");
    return accept && accept->find("application/json") != std::string::npos;
}

// An error in the page's language: JSON {"message"} for the room's script, else the page.
Response refuse(Page& page, const Request& req, int status, const std::string& key,
                long long retry_after = 0) {
    if (!wants_json(req))
        return retry_after ? page.too_many(key, retry_after) : page.error(status, key);
    auto res = Response::json(status, nlohmann::json{{"message", page.t(key)}}.dump());
    if (retry_after) res.header("Retry-After", std::to_string(retry_after));
    return res;
}

// "12,5 Ko" / "1.2 MB": one decimal, the language's separator and units.
std::string size_text(const Page& page, std::int64_t bytes) {
    bool mega = bytes >= 1024 * 1024;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", double(bytes) / (mega ? 1024.0 * 1024.0 : 1024.0));
    std::string n = buf;
    if (page.lang() != "en")
        for (auto& c : n)
            if (c == '.') c = ',';
    return n + " " + page.t(mega ? "room_documents.mb" : "room_documents.kb");
}

const char* outcome_key(app::UploadOutcome o) {
    switch (o) {
        case app::UploadOutcome::stored:
            return "room_documents.stored";
        case app::UploadOutcome::not_open:
            return "room_documents.not_open";
        case app::UploadOutcome::not_admitted:
            return "room_documents.not_admitted";
        case app::UploadOutcome::too_large:
            return "room_documents.too_large";
        case app::UploadOutcome::empty:
            return "room_documents.empty";
        case app::UploadOutcome::wrong_type:
            return "room_documents.wrong_type";
        case app::UploadOutcome::rate_limited:
            break;
    }
    return "room_documents.rate_limited";
}

int outcome_status(app::UploadOutcome o) {
    switch (o) {
        case app::UploadOutcome::stored:
            return 201;
        case app::UploadOutcome::not_open:
        case app::UploadOutcome::not_admitted:
            return 403;
        case app::UploadOutcome::too_large:
            return 413;
        case app::UploadOutcome::empty:
            return 422;
        case app::UploadOutcome::wrong_type:
            return 415;
        case app::UploadOutcome::rate_limited:
            break;
    }
    return 429;
}

// POST /room/{token}/documents: multipart/form-data with csrf, resume (the page's resume
// secret: who sends) and the file "document".
Response upload(app::Context& ctx, Request& req) {
    auto type = req.header("content-type");
    auto parts = http::parse_multipart(type ? *type : "", req.body, 4);
    http::Params form;
    const http::FormPart* file = nullptr;
    if (parts) {
        for (auto& p : *parts) {
            if (p.name == "document" && !p.filename.empty())
                file = &p;
            else if (p.filename.empty())
                form.emplace(p.name, p.data);
        }
    } else {
        form = http::parse_urlencoded(req.body);  // not our form: the CSRF check answers
    }
    auto token = req.path_param("token").value_or("");
    auto room = ctx.rooms && ctx.documents && token.size() <= 128 ? ctx.rooms->by_token(token)
                                                                  : std::nullopt;
    auto org = room ? ctx.booking.organisation(room->organisation.slug) : nullptr;
    Page page(ctx, req, org.get());
    if (!page.csrf_ok(form)) return refuse(page, req, 403, "error_page.csrf");
    if (!room || !org) return refuse(page, req, 404, "room_documents.unknown");
    if (!parts) return refuse(page, req, 400, "error_page.bad_request");
    if (!file) return refuse(page, req, 422, "room_documents.empty");
    auto r = ctx.documents->upload(*room, form_value(form, "resume"), file->filename, file->data);
    auto key = outcome_key(r.outcome);
    auto status = outcome_status(r.outcome);
    if (r.outcome != app::UploadOutcome::stored)
        return refuse(page, req, status, key, r.retry_after);
    if (!wants_json(req)) return Response::redirect("/room/" + token + "?lang=" + page.lang());
    auto& d = r.document;
    return Response::json(
        status, nlohmann::json{{"message", page.t(key)},
                               {"document", {{"id", d.id}, {"name", d.name}, {"size", d.size}}}}
                    .dump());
}

constexpr std::initializer_list<const char*> kStaffRoles = {"agent", "supervisor", "admin"};

// "attachment" with the safe name: plain ASCII for old clients, UTF-8 (RFC 5987) for others.
std::string disposition(const std::string& name) {
    std::string ascii;
    for (unsigned char c : name)
        if (c < 0x80)
            ascii += char(c);
        else if ((c & 0xC0) != 0x80)  // one "_" per UTF-8 character
            ascii += '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + http::url_encode(name);
}

// GET /console/appointments/{id}/documents/{doc}: the agent who holds the appointment only;
// anyone else, another organisation's or a missing id: 404 (the same answer).
Response download(const std::shared_ptr<StaffGate>& gate, Request& req) {
    auto& ctx = gate->context();
    return gate->with_staff(req, kStaffRoles, [&](Staff& staff) -> Response {
        auto id = StaffGate::id_param(req, "id");
        auto doc = StaffGate::id_param(req, "doc");
        auto room = id && doc && ctx.rooms && ctx.documents
                        ? ctx.rooms->by_appointment(staff.organisation_id, *id)
                        : std::nullopt;
        if (!room || !ctx.rooms->holds(staff.account_id(), room->appointment))
            return gate->not_found(req);
        auto found = ctx.documents->open(staff.organisation_id, *id, *doc);
        if (!found) return gate->not_found(req);
        auto& [d, bytes] = *found;
        Response res;
        res.status = 200;
        res.content_type = d.content_type;
        res.body = std::move(bytes);
        res.header("Content-Disposition", disposition(d.name))
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "sandbox")
            .header("Cache-Control", "no-store");
        return res;
    });
}

}  // namespace

std::size_t room_document_body_limit(const std::string& method, const std::string& target,
                                     std::size_t normal) {
    return is_upload(method, target) ? std::max(normal, app::kMaxDocumentBytes + kFormSlack)
                                     : normal;
}

Response body_too_large(app::Context& ctx, Request& req) {
    if (!is_upload(req.method, req.target))
        return Response::text(413, "Request body too large / Requête trop volumineuse");
    Page page(ctx, req, nullptr);
    return refuse(page, req, 413, "room_documents.too_large");
}

void add_room_documents(Page& page, app::Context& ctx, const app::OrgData& org,
                        const store::Appointment& a) {
    if (!ctx.documents) return;
    auto site = org.site(a.site_id);
    auto zone = site ? org.zone(*site) : org.default_zone();
    mstch::array list;
    for (auto& d : ctx.documents->list(a.organisation_id, a.id))
        list.push_back(mstch::map{{"name", d.name},
                                  {"size", size_text(page, d.size)},
                                  {"when", page.format_datetime(d.created_at, zone)},
                                  {"url", "/console/appointments/" + std::to_string(a.id) +
                                              "/documents/" + std::to_string(d.id)}});
    page.data()["has_room_documents"] = !list.empty();
    page.data()["room_documents"] = list;
}

void register_room_document_routes(http::Router& router, app::Context& ctx) {
    router.post("/room/{token}/documents", [&ctx](Request& r) { return upload(ctx, r); });
}

void register_room_document_console_routes(http::Router& router,
                                           const std::shared_ptr<StaffGate>& gate) {
    router.get("/console/appointments/{id}/documents/{doc}",
               [gate](Request& r) { return download(gate, r); });
}

}  // namespace vg::web
