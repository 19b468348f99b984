// The exports of the statistics (issue 14): one CSV line per appointment (RFC 4180, cells
// neutralised against formula injection) and the figures as JSON (the API). Both read what
// figures.hpp computes or selects, so page, exports and API agree.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/timefmt.hpp"
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

// One cell of an exported line, typed for the XLSX writer. text is its value as the CSV
// writes it (before csv_cell); a number keeps its value in `number` too, a time its local
// date and time (site's zone) in `local` and `second`; blank: no value (text "").
struct Cell {
    enum class Type { text, number, time, blank };
    Type type = Type::text;
    std::string text;
    double number = 0;
    int decimals = 0;  // a number shown with this many decimals (the CSV's text has them)
    core::LocalParts local{};
    int second = 0;
};

// The columns of the export (docs/STATISTICS.md), contact columns last when asked.
std::vector<std::string> export_columns(bool with_contacts);
// One appointment's cells, in the columns' order: times in its site's zone. The one piece
// both writers (CSV, XLSX) take their lines from.
std::vector<Cell> export_cells(const store::StatsAppointment& a, const Names& names,
                               const Zones& zones, bool with_contacts);

// The UTF-8 byte order mark spreadsheet programs look for, then the header line (CRLF).
std::string csv_header(bool with_contacts);
// The same for any columns (the partners' overview, docs/PARTNERS.md).
std::string csv_header(const std::vector<std::string>& columns);
// One line of cells (CRLF), each through csv_cell.
std::string csv_line(const std::vector<Cell>& cells);
// True when the appointment belongs to the export of this filter: it passes the filter and
// starts or was booked in the period.
bool exported(const Filter& f, const store::StatsAppointment& a, const Zones& zones);

// The figures as the API gives them (docs/API.md, docs/STATISTICS.md).
nlohmann::json to_json(const Figures& f, const Period& p);
// The messages' figures as the API gives them: sms_segments (the period's total) and
// by_month {"YYYY-MM": {sent, email, sms, sms_segments, failed, dead}}.
nlohmann::json messages_json(const std::map<std::string, MonthMessages>& months);

}  // namespace vg::stats
