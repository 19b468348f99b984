// Organisation set-up from a JSON file (until the admin UI exists): organisation, terms,
// sites, motifs, agents with their opening plans and absences. See docs/CONFIGURATION.md.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace vg::app {

// Every problem found, each prefixed with its JSON path ("sites[1].time_zone: ...").
struct ImportError : std::runtime_error {
    std::vector<std::string> problems;
    explicit ImportError(std::vector<std::string> p);
};

// An organisation file read and checked in full, not written yet.
struct OrganisationDocument {
    struct Agent {
        store::Agent agent;
        std::vector<std::pair<std::string, core::OpeningPlan>> plans;  // site key
        std::vector<std::vector<std::string>> plan_motifs;             // motif keys per plan
        std::vector<std::pair<core::Absence, std::string>> absences;   // with the reason
        std::vector<std::pair<core::RecurringAbsence, std::string>> recurring;
    };
    store::Organisation organisation;
    store::Terms terms;
    std::vector<std::pair<std::string, store::Site>> sites;  // key, site
    std::vector<store::Motif> motifs;                        // code = key
    std::vector<Agent> agents;
};

// Reads and validates the whole document without touching any store (pure, fuzzed by
// tests/fuzz/org_import.cpp). Throws ImportError listing every problem found.
OrganisationDocument read_organisation(const std::string& json_text);

// Validates the whole document, then writes it in one transaction (nothing on error).
// Returns the new organisation id. Throws ImportError when the file is invalid or the
// slug exists already.
core::Id import_organisation(store::Store& db, const std::string& json_text);

// Publishes a new version of an organisation's terms ({"text": {...}, "conduct_rules":
// {...}}); bookings from then on must accept it. Returns the new version number.
int publish_terms(store::Store& db, const std::string& slug, const std::string& json_text);

}  // namespace vg::app
