// What the page, the export and the API ask of the statistics: one read snapshot of the
// organisation (sites, motifs, agents), its appointments' rows (one statement, the period
// and the previous one) and its messages' rows, and the figures of both periods.
#pragma once

#include <functional>
#include <string>

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
// `lang`. The one source of the CSV and XLSX writers.
int export_rows(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, const std::function<void(const std::vector<Cell>&)>& each);

// The CSV export of the filter (docs/STATISTICS.md), appended to out line by line as the
// store's cursor gives the rows; returns the number of appointment lines. Names of motifs in
// `lang`.
int export_csv(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
               const std::string& lang, std::string& out);

// The XLSX export of the same lines (stats/xlsx.hpp): its bytes in out; returns the number of
// appointment lines.
int export_xlsx(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, std::string& out);

// Journals an export with the citizens' contact data (audit journal: stats.export_contacts,
// who, the filter's query, how many lines). Called before the file is given: an export that
// could not be journalled is not given.
void journal_export(store::Store& db, Id organisation_id, const std::string& actor,
                    const std::string& query, int lines);

}  // namespace vg::stats
