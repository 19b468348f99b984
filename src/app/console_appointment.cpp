#include "app/console_appointment.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vg::app {

using nlohmann::json;

namespace {

struct Seed {
    const char* group;
    const char* category;
    const char* code;
    const char* fr;
    const char* en;
    const char* nl;
    const char* de;
};

// Seed 001, Annexe 2 "les indicateurs de suivi".
constexpr Seed kSeed[] = {
    {"category", "", "access_rights", "Accès aux droits", "Access to rights", "Toegang tot rechten",
     "Zugang zu Rechten"},
    {"category", "", "file_follow_up", "Suivi du dossier", "File follow-up",
     "Opvolging van het dossier", "Verfolgung der Akte"},
    {"category", "", "change_of_situation", "Changements de situation", "Changes of situation",
     "Wijzigingen in de situatie", "Änderungen der Situation"},
    {"request_type", "access_rights", "access_rights.simulation", "Simulation", "Simulation",
     "Simulatie", "Simulation"},
    {"request_type", "access_rights", "access_rights.benefit_application", "Demande de prestation",
     "Benefit application", "Aanvraag van een uitkering", "Leistungsantrag"},
    {"request_type", "access_rights", "access_rights.keeping_rights",
     "Démarches de maintien du droit", "Keeping rights", "Behoud van rechten", "Erhalt der Rechte"},
    {"request_type", "file_follow_up", "file_follow_up.payments", "Paiements", "Payments",
     "Betalingen", "Zahlungen"},
    {"request_type", "file_follow_up", "file_follow_up.letters", "Courriers, notifications",
     "Letters, notifications", "Brieven, kennisgevingen", "Schreiben, Bescheide"},
    {"request_type", "file_follow_up", "file_follow_up.calendar", "Agenda", "Calendar", "Agenda",
     "Kalender"},
    {"request_type", "file_follow_up", "file_follow_up.certificates", "Attestations",
     "Certificates", "Attesten", "Bescheinigungen"},
    {"request_type", "change_of_situation", "change_of_situation.family", "Situation familiale",
     "Family situation", "Gezinssituatie", "Familiensituation"},
    {"request_type", "change_of_situation", "change_of_situation.work", "Situation professionnelle",
     "Work situation", "Beroepssituatie", "Berufliche Situation"},
    {"request_type", "change_of_situation", "change_of_situation.children", "Situation des enfants",
     "Children's situation", "Situatie van de kinderen", "Situation der Kinder"},
    {"request_type", "change_of_situation", "change_of_situation.contact_details",
     "Coordonnées (dont RIB)", "Contact details (bank details included)",
     "Contactgegevens (bankgegevens inbegrepen)", "Kontaktdaten (mit Bankverbindung)"},
    {"theme", "", "theme.childhood_youth", "Enfance et jeunesse", "Childhood and youth",
     "Kinderen en jongeren", "Kindheit und Jugend"},
    {"theme", "", "theme.housing", "Logement et cadre de vie", "Housing and living",
     "Wonen en leefomgeving", "Wohnen und Lebensumfeld"},
    {"theme", "", "theme.early_childhood", "Petite enfance", "Early childhood", "Jonge kinderen",
     "Frühe Kindheit"},
    {"theme", "", "theme.solidarity", "Solidarité et insertion", "Solidarity and integration",
     "Solidariteit en integratie", "Solidarität und Eingliederung"},
    {"autonomy", "", "autonomy.beginner", "Débutant", "Beginner", "Beginner", "Anfänger"},
    {"autonomy", "", "autonomy.intermediate", "Intermédiaire", "Intermediate", "Gemiddeld",
     "Fortgeschritten"},
    {"autonomy", "", "autonomy.autonomous", "Autonome", "Autonomous", "Zelfstandig",
     "Selbstständig"},
};

bool is_group(const std::string& g) {
    return g == "category" || g == "request_type" || g == "theme" || g == "autonomy";
}

const store::OutcomeItem* item_by_code(const std::vector<store::OutcomeItem>& items,
                                       const std::string& code) {
    for (auto& i : items)
        if (i.code == code) return &i;
    return nullptr;
}

json item_json(const store::OutcomeItem& i) {
    json j = {{"group", i.group}, {"code", i.code}, {"label", json::parse(i.label.to_json())}};
    if (!i.category.empty()) j["category"] = i.category;
    if (i.retired_at) j["retired"] = true;
    return j;
}

// Labels: French required, each at most 100 characters of valid text.
core::FieldErrors check_label(const store::LocalText& label) {
    core::FieldErrors errors;
    for (auto lang : {"fr", "en", "nl", "de"}) {
        auto it = label.by_lang.find(lang);
        auto text = it == label.by_lang.end() ? std::string() : it->second;
        auto field = std::string("label_") + lang;
        if (!core::is_valid_utf8(text) || text.find_first_of("\r\n") != std::string::npos)
            errors[field] = "error.invalid_characters";
        else if (core::utf8_length(text) > 100)
            errors[field] = "error.too_long";
        else if (text.empty() && std::string(lang) == "fr")
            errors[field] = "error.required";
    }
    return errors;
}

store::LocalText cleaned(const store::LocalText& label) {
    store::LocalText out;
    for (auto& [lang, text] : label.by_lang) {
        auto t = core::trim(text);
        if (!t.empty()) out.by_lang[lang] = t;
    }
    return out;
}

}  // namespace

std::vector<store::OutcomeItem> default_outcome_items(Id org) {
    std::vector<store::OutcomeItem> out;
    int position = 0;
    for (auto& seed : kSeed) {
        store::OutcomeItem i;
        i.organisation_id = org;
        i.group = seed.group;
        i.category = seed.category;
        i.code = seed.code;
        i.label.by_lang = {{"fr", seed.fr}, {"en", seed.en}, {"nl", seed.nl}, {"de", seed.de}};
        i.position = ++position;
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<store::OutcomeItem> outcome_items_in(store::Session& s, Id org, bool write) {
    auto items = s.outcome_items(org);
    if (!items.empty()) return items;
    auto defaults = default_outcome_items(org);
    if (!write) return defaults;
    for (auto& i : defaults) s.insert_outcome_item(i);
    return s.outcome_items(org);
}

core::FieldErrors check_outcome(const store::AppointmentOutcome& o,
                                const std::vector<store::OutcomeItem>& items) {
    core::FieldErrors errors;
    if (o.resolved.empty())
        errors["resolved"] = "error.required";
    else if (o.resolved != "yes" && o.resolved != "no" && o.resolved != "partially")
        errors["resolved"] = "error.invalid_choice";
    for (auto [field, code] :
         {std::pair<const char*, const std::string*>{"request_type", &o.request_type},
          {"theme", &o.theme},
          {"autonomy", &o.autonomy}}) {
        if (code->empty()) continue;
        auto item = item_by_code(items, *code);
        if (!item || item->group != field || item->retired_at)
            errors[field] = "error.invalid_choice";
    }
    return errors;
}

std::optional<AppointmentFile> ConsoleAppointments::file(Id org, Id id) {
    auto view = booking_.find_by_id(org, id);
    if (!view) return std::nullopt;
    AppointmentFile f{*view, {}, {}, {}, {}, {}, false, {}};
    bool seeded = false;
    booking_.store().read([&](store::Session& s) {
        f.events = s.appointment_events(id);
        f.notes = s.notes(org, id);
        f.outcome = s.outcome(org, id);
        f.items = outcome_items_in(s, org, false);
        seeded = f.items.empty() || f.items.front().id != 0;
        f.agent = s.agent(org, view->appointment.agent_id);
        for (auto& e : f.events) {
            if (e.actor.rfind("account:", 0) != 0 || f.actor_names.count(e.actor)) continue;
            try {
                if (auto acc = s.account_by_id(std::stoll(e.actor.substr(8))))
                    f.actor_names[e.actor] =
                        acc->display_name.empty() ? acc->email : acc->display_name;
            } catch (const std::exception&) {
            }
        }
    });
    if (!seeded) f.items = outcome_items(org);
    f.arrived =
        std::any_of(f.events.begin(), f.events.end(), [](auto& e) { return e.kind == "arrived"; });
    return f;
}

std::vector<store::OutcomeItem> ConsoleAppointments::outcome_items(Id org) {
    std::vector<store::OutcomeItem> items;
    booking_.store().read([&](store::Session& s) { items = s.outcome_items(org); });
    if (!items.empty()) return items;
    booking_.store().write([&](store::Session& s) { items = outcome_items_in(s, org, true); });
    return items;
}

ChangeResult ConsoleAppointments::add_note(Id org, Id id, const std::string& body,
                                           const std::string& actor,
                                           const std::string& author_name) {
    ChangeResult r;
    auto clean = core::trim(body);
    if (clean.empty())
        r.errors["note"] = "error.required";
    else if (!core::is_valid_utf8(clean))
        r.errors["note"] = "error.invalid_characters";
    else if (core::utf8_length(clean) > 2000)
        r.errors["note"] = "error.too_long";
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    booking_.store().write([&](store::Session& s) {
        auto a = s.appointment_by_id(org, id);
        if (!a) {
            r.outcome = Outcome::not_found;
            return;
        }
        auto note = s.add_note({0, id, org, 0, actor, author_name, clean});
        s.add_event(id, "note_added", actor, "{}");  // the text stays in the notes only
        s.add_audit(
            {org, actor, "appointment.note", "appointment", id, json({{"note", note}}).dump()});
        r.appointment = *a;
    });
    return r;
}

ItemResult ConsoleAppointments::add_item(Id org, const std::string& group,
                                         const std::string& category, const store::LocalText& label,
                                         const std::string& actor) {
    ItemResult r;
    auto items = outcome_items(org);
    if (!is_group(group)) r.errors["group"] = "error.invalid_choice";
    if (group == "request_type") {
        auto c = item_by_code(items, category);
        if (!c || c->group != "category" || c->retired_at)
            r.errors["category"] = "error.invalid_choice";
    }
    for (auto& [k, v] : check_label(label)) r.errors[k] = v;
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    booking_.store().write([&](store::Session& s) {
        auto now_items = outcome_items_in(s, org, true);
        store::OutcomeItem i;
        i.organisation_id = org;
        i.group = group;
        i.category = group == "request_type" ? category : "";
        i.label = cleaned(label);
        int position = 0;
        for (auto& x : now_items) position = std::max(position, x.position);
        i.position = position + 1;
        // A code never used in this organisation: the group and a number past every item.
        for (auto n = now_items.size() + 1;; ++n) {
            i.code = group + ".custom" + std::to_string(n);
            if (!item_by_code(now_items, i.code) && s.insert_outcome_item(i)) break;
        }
        auto stored = s.outcome_items(org);
        auto added = item_by_code(stored, i.code);
        s.add_change({0, org, 0, actor, "outcome_item", added ? added->id : 0, "create", "{}",
                      item_json(i).dump()});
    });
    booking_.configuration_changed();
    return r;
}

ItemResult ConsoleAppointments::rename_item(Id org, Id item_id, const store::LocalText& label,
                                            const std::string& actor) {
    ItemResult r;
    r.errors = check_label(label);
    if (!r.errors.empty()) {
        r.outcome = Outcome::invalid;
        return r;
    }
    booking_.store().write([&](store::Session& s) {
        auto items = s.outcome_items(org);  // an item to change exists already
        auto it =
            std::find_if(items.begin(), items.end(), [&](auto& i) { return i.id == item_id; });
        if (it == items.end()) {
            r.outcome = Outcome::not_found;
            return;
        }
        auto before = *it;
        it->label = cleaned(label);
        s.update_outcome_item(*it);
        s.add_change({0, org, 0, actor, "outcome_item", it->id, "update", item_json(before).dump(),
                      item_json(*it).dump()});
    });
    if (r.outcome == Outcome::ok) booking_.configuration_changed();
    return r;
}

ItemResult ConsoleAppointments::retire_item(Id org, Id item_id, const std::string& actor) {
    ItemResult r;
    booking_.store().write([&](store::Session& s) {
        auto items = s.outcome_items(org);  // an item to change exists already
        auto it =
            std::find_if(items.begin(), items.end(), [&](auto& i) { return i.id == item_id; });
        if (it == items.end()) {
            r.outcome = Outcome::not_found;
            return;
        }
        if (it->retired_at) {
            r.outcome = Outcome::gone;
            return;
        }
        auto before = *it;
        it->retired_at = booking_.clock().now();
        s.update_outcome_item(*it);
        s.add_change({0, org, 0, actor, "outcome_item", it->id, "update", item_json(before).dump(),
                      item_json(*it).dump()});
    });
    if (r.outcome == Outcome::ok) booking_.configuration_changed();
    return r;
}

}  // namespace vg::app
