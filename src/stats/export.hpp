// The exports of the statistics (issue 14): one CSV line per appointment (RFC 4180, cells
// neutralised against formula injection) and the figures as JSON (the API). Both read what
// figures.hpp computes or selects, so page, exports and API agree.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "stats/figures.hpp"

namespace vg::stats {

// A CSV cell: quoted when it holds a comma, a quote, CR or LF (quotes doubled); a cell
// beginning with =, +, -, @, tab or carriage return gets a single quote in front, so that no
// spreadsheet program reads it as a formula.
std::string csv_cell(const std::string& value);

// Names the export shows for ids: motifs, sites, agents.
struct Names {
    std::map<Id, std::string> motifs;
    std::map<Id, std::string> sites;
    std::map<Id, std::string> agents;
};

// The UTF-8 byte order mark spreadsheet programs look for, then the header line (CRLF).
std::string csv_header(bool with_contacts);
// One appointment's line (CRLF): times in its site's zone (ISO 8601 with offset).
std::string csv_line(const store::StatsAppointment& a, const Names& names, const Zones& zones,
                     bool with_contacts);
// True when the appointment belongs to the export of this filter: it passes the filter and
// starts or was booked in the period.
bool exported(const Filter& f, const store::StatsAppointment& a, const Zones& zones);

// The figures as the API gives them (docs/API.md, docs/STATISTICS.md).
nlohmann::json to_json(const Figures& f, const Period& p);

}  // namespace vg::stats
