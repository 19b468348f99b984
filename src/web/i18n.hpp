// Message catalogues (locales/<lang>.json, nested objects) and locale-aware dates.
#pragma once

#include <map>
#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/timefmt.hpp"

namespace vg::web {

inline const std::vector<std::string> kLanguages = {"fr", "en", "nl", "de"};

class I18n {
  public:
    // Loads every kLanguages catalogue from dir; throws on a missing or malformed file.
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

  private:
    std::map<std::string, nlohmann::json> catalogues_;
    std::map<std::string, mstch::node> nodes_;
};

}  // namespace vg::web
