// What the administration's writes share (administration.cpp, admin_rest.cpp): a form read
// field by field with its refusals, and one entry of the change journal.
#pragma once

#include <date/tz.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "app/administration.hpp"
#include "text/i18n.hpp"

namespace vg::app::detail {

using nlohmann::json;

// Reads a form field by field, collecting the refusals (message keys of locales/*/admin.json).
struct Form {
    const Fields& f;
    core::FieldErrors errors;

    std::string raw(const std::string& name) const {
        auto it = f.find(name);
        return it == f.end() ? std::string() : it->second;
    }
    void fail(const std::string& name, const std::string& key) {
        errors.emplace(name, "admin.error_" + key);
    }
    // Trimmed valid UTF-8 of at most `max` characters (no control characters but line
    // breaks when multiline).
    std::string text(const std::string& name, bool required, std::size_t max = 200,
                     bool multiline = false) {
        auto v = core::trim(raw(name));
        if (!core::is_valid_utf8(v)) {
            fail(name, "invalid");
            return {};
        }
        for (unsigned char c : v)
            if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f) {
                fail(name, "invalid");
                return {};
            }
        if (required && v.empty()) fail(name, "required");
        if (core::utf8_length(v) > max) fail(name, "too_long");
        return v;
    }
    bool flag(const std::string& name) const {
        auto v = raw(name);
        return v == "1" || v == "on" || v == "true";
    }
    int number(const std::string& name, int min, int max, std::optional<int> def = {}) {
        auto v = core::trim(raw(name));
        if (v.empty() && def) return *def;
        int out = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
        if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
            fail(name, "number");
            return min;
        }
        if (out < min || out > max) {
            fail(name, "range");
            return min;
        }
        return out;
    }
    std::string zone(const std::string& name) {
        auto z = text(name, true, 64);
        if (z.empty()) return "Europe/Paris";
        try {
            date::locate_zone(z);
        } catch (const std::exception&) {
            fail(name, "zone");
        }
        return z;
    }
    std::string email(const std::string& name, bool required) {
        auto v = text(name, required, 254);
        if (!v.empty() && !plausible_email(v)) fail(name, "email");
        return v;
    }
    // <name>_<lang> for every language; French required when `required`.
    store::LocalText local(const std::string& name, bool required, std::size_t max = 200,
                           bool multiline = false) {
        store::LocalText t;
        for (auto& lang : text::kLanguages) {
            auto v = text(name + "_" + lang, required && lang == "fr", max, multiline);
            if (!v.empty()) t.by_lang[lang] = v;
        }
        return t;
    }
};

inline json local_json(const store::LocalText& t) {
    return json(t.by_lang);
}

// One change in the journal.
inline void journal(store::Session& s, Id org, const std::string& actor, const std::string& type,
                    Id id, const std::string& action, const json& before, const json& after) {
    s.add_change({0, org, 0, actor, type, id, action, before.is_null() ? "{}" : before.dump(),
                  after.is_null() ? "{}" : after.dump()});
}

// Creates the object (when there is no state before) or updates it (x.id already set), then
// journals it with its states before and after: one piece for every administration form that
// both creates and edits.
template <class T, class ToJson, class Insert, class Update>
Id save_journalled(store::Session& s, Id org, const std::string& actor, const std::string& type,
                   const T* before, T& x, ToJson to_json, Insert insert, Update update) {
    if (before) {
        update(x);
        journal(s, org, actor, type, x.id, "update", to_json(*before), to_json(x));
    } else {
        x.id = insert(x);
        journal(s, org, actor, type, x.id, "create", nullptr, to_json(x));
    }
    return x.id;
}

}  // namespace vg::app::detail
