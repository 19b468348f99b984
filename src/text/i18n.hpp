// Message catalogues (locales/<lang>.json, nested objects) and locale-aware dates.
#pragma once

#include <map>
#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/timefmt.hpp"
#include "core/types.hpp"

namespace vg::text {

inline const std::vector<std::string> kLanguages = {"fr", "en", "nl", "de"};

class I18n {
  public:
    // Loads every kLanguages catalogue from dir (<lang>.json and the sections of
    // <lang>/*.json); throws on a missing or malformed file or a section defined twice.
    void load(const std::string& dir);
    // "error.required" -> text in lang, falling back to French, then to the key itself.
    std::string t(const std::string& lang, const std::string& key) const;
    const nlohmann::json& catalogue(const std::string& lang) const;
    // The same catalogue as a Mustache value ({{t.key}} in templates), built at load.
    const mstch::node& node(const std::string& lang) const;

    // "mardi 25 novembre 2026", "Tuesday 25 November 2026", "dinsdag 25 november 2026",
    // "Dienstag, 25. November 2026"
    std::string format_date(const std::string& lang, const core::LocalParts& p) const;
    std::string format_time(const std::string& lang, const core::LocalParts& p) const;
    std::string format_datetime(const std::string& lang, core::Instant t,
                                const date::time_zone* zone) const;

    // "Paris time" for Europe/Paris in lang; "" for a zone without a name in the catalogue
    // (zone.<IANA name>). Citizens never see IANA names.
    std::string zone_label(const std::string& lang, const std::string& zone) const;
    // The zone is worth naming only when the citizen may be elsewhere (video from home,
    // phone); at a place they go to, its local time is the obvious one.
    static bool remote(core::Channel channel, bool partner_site) {
        return channel == core::Channel::phone ||
               (channel == core::Channel::video && !partner_site);
    }

    // text with its first `placeholder` ("{name}") replaced by value.
    static std::string fill(std::string text, const std::string& placeholder,
                            const std::string& value) {
        if (auto pos = text.find(placeholder); pos != std::string::npos)
            text.replace(pos, placeholder.size(), value);
        return text;
    }

  private:
    std::map<std::string, nlohmann::json> catalogues_;
    std::map<std::string, mstch::node> nodes_;
};

}  // namespace vg::text
