#include "text/i18n.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "text/templates.hpp"

namespace vg::text {

using nlohmann::json;

namespace {
json read_catalogue(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("missing message catalogue " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    auto j = json::parse(ss.str(), nullptr, false);
    if (!j.is_object()) throw std::runtime_error("malformed message catalogue " + path);
    return j;
}
}  // namespace

// locales/<lang>.json, then every locales/<lang>/*.json in name order: one file per part of
// the product (console, administration...), so that parts grow without touching each other.
// A top-level section defined twice is an error, not a silent override.
void I18n::load(const std::string& dir) {
    for (auto& lang : kLanguages) {
        auto j = read_catalogue(dir + "/" + lang + ".json");
        std::vector<std::filesystem::path> parts;
        std::error_code ec;
        for (auto& e : std::filesystem::directory_iterator(dir + "/" + lang, ec))
            if (e.path().extension() == ".json") parts.push_back(e.path());
        std::sort(parts.begin(), parts.end());
        for (auto& part : parts) {
            auto sections = read_catalogue(part.string());
            for (auto it = sections.begin(); it != sections.end(); ++it) {
                if (j.contains(it.key()))
                    throw std::runtime_error("message catalogue " + part.string() +
                                             " defines section \"" + it.key() + "\" again");
                j[it.key()] = std::move(it.value());
            }
        }
        nodes_[lang] = json_to_mstch(j);
        catalogues_[lang] = std::move(j);
    }
}

const mstch::node& I18n::node(const std::string& lang) const {
    auto it = nodes_.find(lang);
    if (it == nodes_.end()) it = nodes_.find("fr");
    static const mstch::node empty = mstch::map{};
    return it == nodes_.end() ? empty : it->second;
}

const json& I18n::catalogue(const std::string& lang) const {
    auto it = catalogues_.find(lang);
    if (it == catalogues_.end()) it = catalogues_.find("fr");
    static const json empty = json::object();
    return it == catalogues_.end() ? empty : it->second;
}

namespace {
const json* lookup(const json& root, const std::string& key) {
    const json* cur = &root;
    std::size_t pos = 0;
    while (pos <= key.size()) {
        auto dot = key.find('.', pos);
        auto part = key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (!cur->is_object()) return nullptr;
        auto it = cur->find(part);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (dot == std::string::npos) break;
        pos = dot + 1;
    }
    return cur;
}
}  // namespace

std::string I18n::t(const std::string& lang, const std::string& key) const {
    for (auto* l : {&lang, &kLanguages.front()}) {
        if (auto v = lookup(catalogue(*l), key); v && v->is_string()) return v->get<std::string>();
    }
    return key;
}

std::string I18n::zone_label(const std::string& lang, const std::string& zone) const {
    auto& zones = catalogue(lang)["zone"];
    if (!zones.is_object()) return {};
    auto it = zones.find(zone);
    return it != zones.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string I18n::format_date(const std::string& lang, const core::LocalParts& p) const {
    auto& c = catalogue(lang);
    std::string wd, mo;
    if (auto d = lookup(c, "date.weekdays"); d && d->is_array() && d->size() == 7)
        wd = (*d)[std::size_t(p.weekday - 1)].get<std::string>();
    if (auto m = lookup(c, "date.months"); m && m->is_array() && m->size() == 12)
        mo = (*m)[std::size_t(p.month - 1)].get<std::string>();
    char buf[128];
    if (lang == "de")
        std::snprintf(buf, sizeof buf, "%s, %d. %s %d", wd.c_str(), p.day, mo.c_str(), p.year);
    else
        std::snprintf(buf, sizeof buf, "%s %d %s %d", wd.c_str(), p.day, mo.c_str(), p.year);
    return buf;
}

std::string I18n::format_time(const std::string& lang, const core::LocalParts& p) const {
    char buf[16];
    if (lang == "fr")  // "8 h 30", spaces that never break a time across two lines
        std::snprintf(buf, sizeof buf, "%d\u00a0h\u00a0%02d", p.hour, p.minute);
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d", p.hour, p.minute);
    return buf;
}

std::string I18n::format_datetime(const std::string& lang, core::Instant t,
                                  const date::time_zone* zone) const {
    auto p = core::local_parts(t, zone);
    return format_date(lang, p) + " " + this->t(lang, "date.at") + " " + format_time(lang, p);
}

}  // namespace vg::text
