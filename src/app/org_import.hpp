// Organisation set-up from a JSON file (until the admin UI exists): organisation, terms,
// sites, motifs, agents with their opening plans and absences. See docs/CONFIGURATION.md.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace vg::app {

// Every problem found, each prefixed with its JSON path ("sites[1].time_zone: ...").
struct ImportError : std::runtime_error {
    std::vector<std::string> problems;
    explicit ImportError(std::vector<std::string> p);
};

// Validates the whole document, then writes it in one transaction (nothing on error).
// Returns the new organisation id. Throws ImportError when the file is invalid or the
// slug exists already.
core::Id import_organisation(store::Store& db, const std::string& json_text);

// Publishes a new version of an organisation's terms ({"text": {...}, "conduct_rules":
// {...}}); bookings from then on must accept it. Returns the new version number.
int publish_terms(store::Store& db, const std::string& slug, const std::string& json_text);

}  // namespace vg::app
