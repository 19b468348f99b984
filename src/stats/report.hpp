// What the page, the export and the API ask of the statistics: one read snapshot of the
// organisation (sites, motifs, agents), its appointments' rows (one statement, the period
// and the previous one) and its messages' rows, and the figures of both periods.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "stats/export.hpp"
#include "stats/figures.hpp"
#include "store/store.hpp"

namespace vg::stats {

struct Report {
    store::Organisation organisation;
    std::vector<store::Site> sites;
    std::vector<store::Motif> motifs;
    std::vector<store::Agent> agents;
    Zones zones;
    Figures current;
    Figures previous;  // the previous period of the same length
    // By month; only when asked (the person sees the whole organisation).
    std::map<std::string, MonthMessages> messages;
};

// Nullopt when the organisation does not exist.
std::optional<Report> report(store::Store& db, Id organisation_id, const Filter& f,
                             bool with_messages);

// The lines of the export of the filter (docs/STATISTICS.md), each given to `each` as the
// store's cursor gives the rows (nothing else is kept); returns how many. Names of motifs in
// `lang`. The one source of the CSV and XLSX writers. When `counted` is given, the lines are
// counted first in the same read snapshot and `counted(n)` is called before the first line
// (the journal of an export with contacts: an exception there stops everything).
int export_rows(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, const std::function<void(const std::vector<Cell>&)>& each,
                const std::function<void(int)>& counted = {});

// Where an export's bytes go, piece by piece; false when nobody reads them any more (the
// export then stops and frees its read).
using Sink = std::function<bool(std::string_view)>;

// The CSV export of the filter (docs/STATISTICS.md): the BOM and the header, then each line
// as the store's cursor gives the rows, written to `out`; returns the number of appointment
// lines written. Names of motifs in `lang`. `before(lines)`, when given, is called before
// anything is written, with the number of lines (counted in the same snapshot, see
// export_rows).
int export_csv(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
               const std::string& lang, const Sink& out,
               const std::function<void(int)>& before = {});

// The XLSX export of the same lines (stats/xlsx.hpp): the workbook is built in a temporary
// file (libxlsxwriter writes a file and its zip directory last), unlinked once complete, then
// its bytes are written to `out`; returns the number of appointment lines. `before(lines)`,
// when given, is called once the file is built, before anything is written.
int export_xlsx(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, const Sink& out,
                const std::function<void(int)>& before = {});

// Journals an export with the citizens' contact data (audit journal: stats.export_contacts,
// who, the filter's query, how many lines). Called before the first byte of the file is given:
// an export that could not be journalled is not given.
void journal_export(store::Store& db, Id organisation_id, const std::string& actor,
                    const std::string& query, int lines);

}  // namespace vg::stats
