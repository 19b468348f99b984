#include "web/page.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string_view>

#include "app/tokens.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

namespace vg::web {

namespace {

const char* language_name(const std::string& code) {
    if (code == "fr") return "Français";
    if (code == "en") return "English";
    if (code == "nl") return "Nederlands";
    if (code == "de") return "Deutsch";
    return "?";
}

}  // namespace

std::string form_value(const http::Params& form, const std::string& name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

Page::Page(app::Context& ctx, const http::Request& req, const app::OrgData* org,
           const std::optional<std::string>& preferred)
    : ctx_(ctx), req_(req), org_(org) {
    const auto& allowed = org ? org->org.languages : text::kLanguages;
    lang_ = http::negotiate_language(req, allowed);
    if (preferred && !req.q("lang") &&
        std::find(allowed.begin(), allowed.end(), *preferred) != allowed.end())
        lang_ = *preferred;
    csrf_ = req.cookie(csrf_cookie_name(ctx.settings));
    if (!looks_like_token_shape()) {
        csrf_ = app::new_token();
        new_csrf_ = true;
    }
    data_["lang"] = lang_;
    data_["t"] = ctx.i18n.node(lang_);
    data_["csrf"] = csrf_;
    if (org) {
        data_["org_name"] = org->org.name;
        data_["org_slug"] = org->org.slug;
        data_["has_org"] = true;
        if (!org->org.logo_etag.empty())  // uploaded by an administrator (console_admin)
            data_["org_logo"] = "/" + org->org.slug + "/logo?v=" + org->org.logo_etag;
        else if (!org->org.logo_url.empty())
            data_["org_logo"] = org->org.logo_url;
    }
    mstch::array langs;
    for (auto& l : org ? org->org.languages : text::kLanguages) {
        langs.push_back(mstch::map{{"code", l},
                                   {"name", std::string(language_name(l))},
                                   {"url", url_with_lang(l)},
                                   {"current", l == lang_}});
    }
    data_["languages"] = langs;
}

bool Page::looks_like_token_shape() const {
    return app::looks_like_token(csrf_);
}

std::string Page::t(const std::string& key) const {
    return ctx_.i18n.t(lang_, key);
}

std::string Page::zone_label(const std::string& zone) const {
    return ctx_.i18n.zone_label(lang_, zone);
}

std::string Page::url_with_lang(const std::string& lang) const {
    std::string out = http::url_encode_path(req_.path) + "?";
    for (auto& [k, v] : req_.query)
        if (k != "lang") out += http::url_encode(k) + "=" + http::url_encode(v) + "&";
    return out + "lang=" + lang;
}

std::string Page::format_datetime(core::Instant t, const date::time_zone* zone) const {
    return ctx_.i18n.format_datetime(lang_, t, zone);
}
std::string Page::format_date(core::LocalDay d) const {
    return ctx_.i18n.format_date(lang_, core::day_parts(d));
}
std::string Page::format_time(core::Instant t, const date::time_zone* zone) const {
    return ctx_.i18n.format_time(lang_, core::local_parts(t, zone));
}

void Page::add_errors(const core::FieldErrors& errors, const std::string& section) {
    mstch::array list;
    for (auto& [field, key] : errors) {
        auto msg = t(key);
        data_["error_" + field] = msg;
        auto own = section + ".field." + field;
        auto label = section.empty() ? own : t(own);
        if (label == own) label = t("field." + field);
        list.push_back(mstch::map{{"field", field}, {"label", label}, {"message", msg}});
    }
    if (!list.empty()) {
        data_["errors"] = list;
        data_["has_errors"] = true;
    }
}

std::string csrf_cookie_name(const app::Settings& settings) {
    return settings.https() ? "__Host-vg_csrf" : "vg_csrf";
}

bool Page::csrf_ok(const http::Params& form) const {
    auto sent = form_value(form, "csrf");
    auto cookie = req_.cookie(csrf_cookie_name(ctx_.settings));
    return app::looks_like_token(cookie) && app::same_secret(sent, cookie) &&
           same_origin(req_, ctx_.settings.public_url);
}

http::Response Page::render(int status, const std::string& name, const std::string& title) {
    data_["title"] = title;
    data_["content"] = ctx_.templates.render(name, data_);
    auto res = http::Response::html(status, ctx_.templates.render("layout", data_));
    res.header("Cache-Control", "no-store");
    std::string secure = ctx_.settings.https() ? "; Secure" : "";
    if (new_csrf_)
        res.header("Set-Cookie", csrf_cookie_name(ctx_.settings) + "=" + csrf_ +
                                     "; Path=/; HttpOnly; SameSite=Strict" + secure);
    if (auto q = req_.q("lang"); q && *q == lang_)
        res.header("Set-Cookie",
                   "vg_lang=" + lang_ + "; Path=/; Max-Age=31536000; SameSite=Lax" + secure);
    return res;
}

http::Response Page::too_many(const std::string& message_key, long long retry_after) {
    auto res = error(429, message_key);
    res.header("Retry-After", std::to_string(retry_after));
    return res;
}

http::Response Page::error(int status, const std::string& message_key) {
    data_["status"] = status;
    data_["message"] = t(message_key);
    return render(status, "citizen/error", t("error_page.title_" + std::to_string(status)));
}

}  // namespace vg::web
