#include "app/org_import.hpp"

#include <date/tz.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "app/memberships.hpp"
#include "core/citizen.hpp"
#include "core/holidays.hpp"
#include "core/timefmt.hpp"
#include "notify/sms.hpp"

namespace vg::app {

using nlohmann::json;

ImportError::ImportError(std::vector<std::string> p)
    : std::runtime_error(p.empty() ? "invalid file" : p.front()), problems(std::move(p)) {}

namespace {

// Collects problems instead of stopping at the first one.
struct Reader {
    std::vector<std::string> problems;

    void fail(const std::string& path, const std::string& what) {
        problems.push_back(path + ": " + what);
    }

    std::string str(const json& j, const std::string& key, const std::string& path, bool required,
                    std::size_t max = 2000) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required) fail(path + "." + key, "required");
            return {};
        }
        if (!it->is_string()) {
            fail(path + "." + key, "must be a string");
            return {};
        }
        auto s = it->get<std::string>();
        if (s.size() > max) fail(path + "." + key, "too long");
        if (required && s.empty()) fail(path + "." + key, "must not be empty");
        return s;
    }

    int integer(const json& j, const std::string& key, const std::string& path, int def, int lo,
                int hi) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return def;
        if (!it->is_number_integer()) {
            fail(path + "." + key, "must be an integer");
            return def;
        }
        auto v = it->get<long long>();
        if (v < lo || v > hi) {
            fail(path + "." + key,
                 "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
            return def;
        }
        return int(v);
    }

    bool boolean(const json& j, const std::string& key, const std::string& path, bool def) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return def;
        if (!it->is_boolean()) {
            fail(path + "." + key, "must be true or false");
            return def;
        }
        return it->get<bool>();
    }

    // {"fr": "...", "en": "..."} or a plain string (French).
    store::LocalText text(const json& j, const std::string& key, const std::string& path,
                          bool required) {
        store::LocalText t;
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required) fail(path + "." + key, "required");
            return t;
        }
        if (it->is_string()) {
            t.by_lang["fr"] = it->get<std::string>();
        } else if (it->is_object()) {
            for (auto& [lang, v] : it->items()) {
                if (!v.is_string() || !core::is_supported_language(lang))
                    fail(path + "." + key + "." + lang, "must be a string in fr, en, nl or de");
                else
                    t.by_lang[lang] = v.get<std::string>();
            }
        } else {
            fail(path + "." + key, "must be a string or an object of languages");
        }
        if (required && t.pick("fr").empty()) fail(path + "." + key, "must not be empty");
        return t;
    }

    std::string zone(const json& j, const std::string& key, const std::string& path,
                     const std::string& def) {
        auto z = str(j, key, path, def.empty());
        if (z.empty()) return def;
        try {
            date::locate_zone(z);
        } catch (const std::exception&) {
            fail(path + "." + key, "unknown IANA time zone '" + z + "'");
        }
        return z;
    }

    std::string region(const json& j, const std::string& key, const std::string& path,
                       const std::string& def) {
        auto r = str(j, key, path, false);
        if (r.empty()) return def;
        if (!core::parse_holiday_region(r))
            fail(path + "." + key,
                 "unknown holiday region '" + r +
                     "' (none, fr_metropole, fr_alsace_moselle, fr_guadeloupe, fr_martinique, "
                     "fr_guyane, fr_reunion, fr_mayotte, be)");
        return r;
    }

    std::uint8_t channels(const json& j, const std::string& path) {
        auto it = j.find("channels");
        if (it == j.end()) return core::all_channels;
        std::uint8_t out = 0;
        if (!it->is_array()) {
            fail(path + ".channels", "must be a list of video, on_site, phone");
            return core::all_channels;
        }
        for (auto& c : *it) {
            auto ch = c.is_string() ? core::parse_channel(c.get<std::string>()) : std::nullopt;
            if (!ch)
                fail(path + ".channels", "unknown channel (video, on_site, phone)");
            else
                out |= core::channel_bit(*ch);
        }
        if (!out) fail(path + ".channels", "must not be empty");
        return out;
    }

    int minute_of_day(const json& j, const std::string& key, const std::string& path) {
        auto s = str(j, key, path, true);
        if (s.size() != 5 || s[2] != ':' || !isdigit(s[0]) || !isdigit(s[1]) || !isdigit(s[3]) ||
            !isdigit(s[4])) {
            if (!s.empty()) fail(path + "." + key, "must be HH:MM");
            return 0;
        }
        int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
        if (h > 24 || m > 59 || (h == 24 && m != 0)) fail(path + "." + key, "must be HH:MM");
        return h * 60 + m;
    }

    core::WeeklyRule rule(const json& j, const std::string& path) {
        core::WeeklyRule r;
        static const std::map<std::string, int> names = {
            {"mon", 0}, {"tue", 1}, {"wed", 2}, {"thu", 3}, {"fri", 4}, {"sat", 5}, {"sun", 6}};
        auto it = j.find("weekdays");
        if (it == j.end() || !it->is_array() || it->empty()) {
            fail(path + ".weekdays", "required: a list such as [\"mon\", \"tue\"]");
        } else {
            for (auto& d : *it) {
                auto n = d.is_string() ? names.find(d.get<std::string>()) : names.end();
                if (n == names.end())
                    fail(path + ".weekdays", "unknown day (mon tue wed thu fri sat sun)");
                else
                    r.weekdays |= std::uint8_t(1u << n->second);
            }
        }
        r.start_minute = minute_of_day(j, "from", path);
        r.end_minute = minute_of_day(j, "to", path);
        if (r.start_minute >= r.end_minute) fail(path, "'from' must be before 'to'");
        auto from = str(j, "valid_from", path, true);
        if (auto d = core::parse_ymd(from))
            r.valid_from = *d;
        else if (!from.empty())
            fail(path + ".valid_from", "must be YYYY-MM-DD");
        auto until = str(j, "valid_until", path, false);
        if (!until.empty()) {
            if (auto d = core::parse_ymd(until))
                r.valid_until = *d;
            else
                fail(path + ".valid_until", "must be YYYY-MM-DD");
        }
        if (r.valid_until && *r.valid_until < r.valid_from)
            fail(path + ".valid_until", "must not be before valid_from");
        r.every_n_weeks = integer(j, "every_n_weeks", path, 1, 1, 52);
        return r;
    }

    core::Instant instant(const json& j, const std::string& key, const std::string& path) {
        auto s = str(j, key, path, true);
        auto t = core::parse_iso8601(s);
        if (!t && !s.empty()) fail(path + "." + key, "must be ISO 8601 with offset");
        return t.value_or(0);
    }
};

json parse(const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw ImportError({"the file is not valid JSON"});
    if (!j.is_object()) throw ImportError({"the file must hold one JSON object"});
    return j;
}

const json& list(Reader& rd, const json& j, const std::string& key) {
    static const json empty = json::array();
    auto it = j.find(key);
    if (it == j.end()) return empty;
    if (!it->is_array()) {
        rd.fail(key, "must be a list");
        return empty;
    }
    return *it;
}

}  // namespace

OrganisationDocument read_organisation(const std::string& json_text) {
    auto j = parse(json_text);
    Reader rd;
    OrganisationDocument doc;
    store::Organisation& o = doc.organisation;
    o.slug = rd.str(j, "slug", "$", true, 64);
    if (auto problem = slug_problem(o.slug); !o.slug.empty() && !problem.empty())
        rd.fail("$.slug", problem);
    o.name = rd.str(j, "name", "$", true, 200);
    if (auto it = j.find("languages"); it != j.end()) {
        o.languages.clear();
        if (it->is_array())
            for (auto& l : *it)
                if (l.is_string() && core::is_supported_language(l.get<std::string>()))
                    o.languages.push_back(l.get<std::string>());
        if (o.languages.empty()) rd.fail("$.languages", "a list among fr, en, nl, de");
    }
    o.default_time_zone = rd.zone(j, "time_zone", "$", "Europe/Paris");
    o.holiday_region = rd.region(j, "holiday_region", "$", "fr_metropole");
    auto colour = rd.str(j, "brand_colour", "$", false, 7);
    if (!colour.empty()) {
        if (colour.size() != 7 || colour[0] != '#' ||
            colour.find_first_not_of("0123456789abcdefABCDEF", 1) != std::string::npos)
            rd.fail("$.brand_colour", "must be #rrggbb");
        o.brand_colour = colour;
    }
    o.logo_url = rd.str(j, "logo_url", "$", false, 500);
    o.sender_email = rd.str(j, "sender_email", "$", false, 254);
    o.reply_to = rd.str(j, "reply_to", "$", false, 254);
    o.mediation_contact = rd.str(j, "mediation_contact", "$", false, 500);
    if (auto it = j.find("sms_gateway"); it != j.end() && !it->is_null()) {
        try {
            auto cfg = notify::parse_sms_gateway(it->dump());
            if (auto err = notify::validate(cfg)) rd.fail("$.sms_gateway", *err);
            o.sms_gateway = it->dump();
        } catch (const std::exception& e) {
            rd.fail("$.sms_gateway", e.what());
        }
    }

    store::Terms& terms = doc.terms;
    if (auto it = j.find("terms"); it != j.end() && it->is_object()) {
        terms.version = 1;
        terms.text = rd.text(*it, "text", "$.terms", true);
        terms.conduct_rules = rd.text(*it, "conduct_rules", "$.terms", false);
    } else {
        rd.fail("$.terms", "required: {\"text\": ..., \"conduct_rules\": ...}");
    }

    std::map<std::string, std::size_t> site_keys, motif_keys;
    auto& sites = doc.sites;
    const auto& site_list = list(rd, j, "sites");
    for (std::size_t i = 0; i < site_list.size(); ++i) {
        auto path = "$.sites[" + std::to_string(i) + "]";
        auto& sj = site_list[i];
        store::Site s;
        auto key = rd.str(sj, "key", path, true, 64);
        if (!site_keys.emplace(key, i).second) rd.fail(path + ".key", "duplicate key");
        s.name = rd.str(sj, "name", path, true, 200);
        s.address = rd.str(sj, "address", path, false, 300);
        s.postal_code = rd.str(sj, "postal_code", path, false, 20);
        s.city = rd.str(sj, "city", path, false, 100);
        s.time_zone = rd.zone(sj, "time_zone", path, o.default_time_zone);
        s.access_notes = rd.text(sj, "access_notes", path, false);
        s.is_partner = rd.boolean(sj, "partner", path, false);
        s.holiday_region = rd.region(sj, "holiday_region", path, "");
        sites.emplace_back(key, std::move(s));
    }
    if (sites.empty()) rd.fail("$.sites", "at least one site");

    auto& motifs = doc.motifs;
    const auto& motif_list = list(rd, j, "motifs");
    for (std::size_t i = 0; i < motif_list.size(); ++i) {
        auto path = "$.motifs[" + std::to_string(i) + "]";
        auto& mj = motif_list[i];
        store::Motif m;
        m.code = rd.str(mj, "key", path, true, 64);
        if (!motif_keys.emplace(m.code, i).second) rd.fail(path + ".key", "duplicate key");
        m.name = rd.text(mj, "name", path, true);
        m.theme = rd.text(mj, "theme", path, false);
        m.documents = rd.text(mj, "documents", path, false);
        m.rules.duration_minutes = rd.integer(mj, "duration_minutes", path, 30, 5, 480);
        m.rules.buffer_minutes = rd.integer(mj, "buffer_minutes", path, 0, 0, 240);
        m.rules.min_lead_minutes = rd.integer(mj, "min_lead_minutes", path, 120, 0, 525600);
        m.rules.horizon_days = rd.integer(mj, "horizon_days", path, 60, 1, 730);
        m.rules.channels = rd.channels(mj, path);
        if (auto it = mj.find("reminder_minutes"); it != mj.end() && !it->is_null()) {
            m.reminder_minutes.clear();
            bool ok = it->is_array() && it->size() <= 5;
            for (std::size_t k = 0; ok && k < it->size(); ++k) {
                auto& v = (*it)[k];
                ok = v.is_number_integer() && v.get<long long>() >= 10 &&
                     v.get<long long>() <= 43200;
                if (ok) m.reminder_minutes.push_back(v.get<int>());
            }
            if (!ok)
                rd.fail(path + ".reminder_minutes",
                        "a list of at most 5 numbers of minutes before, each from 10 to 43200");
            std::sort(m.reminder_minutes.begin(), m.reminder_minutes.end(), std::greater<>());
            m.reminder_minutes.erase(
                std::unique(m.reminder_minutes.begin(), m.reminder_minutes.end()),
                m.reminder_minutes.end());
        }
        m.is_public = rd.boolean(mj, "public", path, true);
        m.asks_beneficiary_number = rd.boolean(mj, "asks_beneficiary_number", path, false);
        m.position = int(i);
        motifs.push_back(std::move(m));
    }
    if (motifs.empty()) rd.fail("$.motifs", "at least one motif");

    auto& agents = doc.agents;
    const auto& agent_list = list(rd, j, "agents");
    for (std::size_t i = 0; i < agent_list.size(); ++i) {
        auto path = "$.agents[" + std::to_string(i) + "]";
        auto& aj = agent_list[i];
        OrganisationDocument::Agent spec;
        spec.agent.display_name = rd.str(aj, "name", path, true, 200);
        spec.agent.email = rd.str(aj, "email", path, false, 254);
        spec.agent.notify_mode = rd.str(aj, "notify", path, false, 20);
        if (spec.agent.notify_mode.empty()) spec.agent.notify_mode = "immediate";
        if (spec.agent.notify_mode != "immediate" && spec.agent.notify_mode != "digest")
            rd.fail(path + ".notify", "immediate or digest");
        const auto& plans = list(rd, aj, "plans");
        for (std::size_t k = 0; k < plans.size(); ++k) {
            auto pp = path + ".plans[" + std::to_string(k) + "]";
            auto site = rd.str(plans[k], "site", pp, true, 64);
            if (!site.empty() && !site_keys.count(site)) rd.fail(pp + ".site", "unknown site key");
            core::OpeningPlan p;
            p.rule = rd.rule(plans[k], pp);
            p.channels = rd.channels(plans[k], pp);
            std::vector<std::string> mk;
            if (auto it = plans[k].find("motifs"); it != plans[k].end() && it->is_array())
                for (auto& m : *it) {
                    auto code = m.is_string() ? m.get<std::string>() : std::string();
                    if (!motif_keys.count(code)) rd.fail(pp + ".motifs", "unknown motif key");
                    mk.push_back(code);
                }
            spec.plans.emplace_back(site, p);
            spec.plan_motifs.push_back(mk);
        }
        const auto& absences = list(rd, aj, "absences");
        for (std::size_t k = 0; k < absences.size(); ++k) {
            auto ap = path + ".absences[" + std::to_string(k) + "]";
            core::Absence a{
                0, {rd.instant(absences[k], "from", ap), rd.instant(absences[k], "to", ap)}};
            if (a.span.start >= a.span.end) rd.fail(ap, "'from' must be before 'to'");
            spec.absences.emplace_back(a, rd.str(absences[k], "reason", ap, false, 200));
        }
        const auto& recurring = list(rd, aj, "recurring_absences");
        for (std::size_t k = 0; k < recurring.size(); ++k) {
            auto rp = path + ".recurring_absences[" + std::to_string(k) + "]";
            core::RecurringAbsence a{0, rd.rule(recurring[k], rp)};
            spec.recurring.emplace_back(a, rd.str(recurring[k], "reason", rp, false, 200));
        }
        agents.push_back(std::move(spec));
    }
    if (!rd.problems.empty()) throw ImportError(rd.problems);
    return doc;
}

core::Id import_organisation(store::Store& db, const std::string& json_text) {
    auto doc = read_organisation(json_text);
    auto& o = doc.organisation;
    auto& terms = doc.terms;
    std::map<std::string, core::Id> site_ids, motif_ids;
    core::Id org_id = 0;
    db.write([&](store::Session& s) {
        if (s.organisation_by_slug(o.slug))
            throw ImportError({"$.slug: an organisation '" + o.slug + "' exists already"});
        org_id = s.insert_organisation(o);
        terms.organisation_id = org_id;
        s.insert_terms(terms);
        for (auto& [key, site] : doc.sites) {
            site.organisation_id = org_id;
            site_ids[key] = s.insert_site(site);
        }
        for (auto& m : doc.motifs) {
            m.organisation_id = org_id;
            motif_ids[m.code] = s.insert_motif(m);
        }
        for (auto& spec : doc.agents) {
            spec.agent.organisation_id = org_id;
            auto agent_id = s.insert_agent(spec.agent);
            spec.agent.id = agent_id;
            link_agent_account(s, spec.agent);  // an account without password
            for (std::size_t k = 0; k < spec.plans.size(); ++k) {
                auto p = spec.plans[k].second;
                p.agent_id = agent_id;
                p.site_id = site_ids.at(spec.plans[k].first);
                for (auto& code : spec.plan_motifs[k]) p.motif_ids.push_back(motif_ids.at(code));
                s.insert_plan(org_id, p);
            }
            for (auto& [a, reason] : spec.absences) {
                auto copy = a;
                copy.agent_id = agent_id;
                s.insert_absence(org_id, copy, reason);
            }
            for (auto& [a, reason] : spec.recurring) {
                auto copy = a;
                copy.agent_id = agent_id;
                s.insert_recurring_absence(org_id, copy, reason);
            }
        }
    });
    return org_id;
}

int publish_terms(store::Store& db, const std::string& slug, const std::string& json_text) {
    auto j = parse(json_text);
    Reader rd;
    store::Terms t;
    t.text = rd.text(j, "text", "$", true);
    t.conduct_rules = rd.text(j, "conduct_rules", "$", false);
    if (!rd.problems.empty()) throw ImportError(rd.problems);
    db.write([&](store::Session& s) {
        auto org = s.organisation_by_slug(slug);
        if (!org) throw ImportError({"no organisation '" + slug + "'"});
        auto current = s.current_terms(org->id);
        t.organisation_id = org->id;
        t.version = current ? current->version + 1 : 1;
        s.insert_terms(t);
    });
    return t.version;
}

}  // namespace vg::app
