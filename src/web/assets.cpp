// Static files, the organisation's brand stylesheet, security headers, route assembly.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/citizen_pages.hpp"
#include "web/page.hpp"
#include "web/pages.hpp"
#include "web/room_pages.hpp"

namespace vg::web {

namespace fs = std::filesystem;
using http::Request;
using http::Response;

std::vector<std::pair<std::string, std::string>> security_headers(bool https) {
    std::vector<std::pair<std::string, std::string>> h = {
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
         "form-action 'self'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        // Management links carry secrets in the path: never leak them in Referer.
        {"Referrer-Policy", "no-referrer"},
        {"Permissions-Policy", "camera=(self), microphone=(self), geolocation=(), payment=()"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
    };
    if (https) h.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    return h;
}

namespace {

const char* mime_of(const std::string& ext) {
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    return nullptr;
}

// A colour the stylesheet may use: #rgb or #rrggbb only (nothing else reaches CSS).
bool is_hex_colour(const std::string& c) {
    if (c.size() != 4 && c.size() != 7) return false;
    if (c[0] != '#') return false;
    return c.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
}

}  // namespace

void register_asset_routes(http::Router& router, app::Context& ctx) {
    auto root = fs::path(ctx.settings.assets_dir) / "static";
    router.get("/static/{file}", [root](Request& r) {
        auto name = *r.path_param("file");
        // One plain file name: no folders, no dot files, known types only.
        if (name.empty() || name[0] == '.' || name.find('/') != std::string::npos ||
            name.find('\\') != std::string::npos)
            return Response::text(404, "Not found");
        auto mime = mime_of(fs::path(name).extension().string());
        std::ifstream f(root / name, std::ios::binary);
        if (!mime || !f) return Response::text(404, "Not found");
        std::stringstream ss;
        ss << f.rdbuf();
        Response res = Response::text(200, ss.str());
        res.content_type = mime;
        res.header("Cache-Control", "public, max-age=3600");
        return res;
    });
    // Browsers ask for /favicon.ico whatever the page says: the same icon as the layout's.
    router.get("/favicon.ico", [root](Request&) {
        std::ifstream f(root / "favicon.svg", std::ios::binary);
        if (!f) return Response::text(404, "Not found");
        std::stringstream ss;
        ss << f.rdbuf();
        Response res = Response::text(200, ss.str());
        res.content_type = mime_of(".svg");
        res.header("Cache-Control", "public, max-age=86400");
        return res;
    });
    router.get("/{org}/brand.css", [&ctx](Request& r) {
        auto org = ctx.booking.organisation(*r.path_param("org"));
        if (!org) return Response::text(404, "Not found");
        auto colour = is_hex_colour(org->org.brand_colour) ? org->org.brand_colour : "#1d4f91";
        Response res = Response::text(200, ":root { --brand: " + colour + "; }\n");
        res.content_type = "text/css; charset=utf-8";
        res.header("Cache-Control", "public, max-age=300");
        return res;
    });
}

void register_routes(http::Router& router, app::Context& ctx) {
    register_asset_routes(router, ctx);
    register_staff_routes(router, ctx);  // before /{org}/...: /login, /console/ are ours
    register_manage_routes(router, ctx);
    register_resend_routes(router, ctx);  // before /{org}: /resend is no organisation
    register_room_routes(router, ctx);    // before /{org}: /room is no organisation
    register_citizen_routes(router, ctx);
    router.error_page = [&ctx](Request& r, int status) {
        if (r.path.rfind("/api/", 0) == 0)
            return Response::json(
                status,
                status == 404
                    ? R"({"error":{"code":"not_found","message":"Not found"}})"
                    : R"({"error":{"code":"method_not_allowed","message":"Method not allowed"}})");
        Page page(ctx, r, nullptr);
        return page.error(status,
                          status == 404 ? "error_page.not_found" : "error_page.bad_request");
    };
}

}  // namespace vg::web
