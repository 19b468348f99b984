// A visit logged at a partner site and the period's report: the indicators of Annexe 2 of
// the "Point numérique Caf" convention (issue 15, seed 001). Pure rules, no I/O.
//
// Every answer is a code (stable text stored in partner_visits, partner_visit_cells and
// partner_visit_themes, migration 22); its label in each language is
// partner_visit.<kind>.<code> in locales/<lang>/partner_visit.json (kind = the form field:
// sex, age_band, allocataire, autonomy, resolved, request, action, theme; and request_group).
// No name, number or document is part of a visit (art. 5).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen.hpp"
#include "core/types.hpp"

namespace vg::core {

// --- The catalogue ----------------------------------------------------------------------
enum class Sex : std::uint8_t { woman, man, legal_person };
enum class AgeBand : std::uint8_t { under_25, from_25_to_60, over_60 };
enum class Allocataire : std::uint8_t { yes, no };
enum class Autonomy : std::uint8_t { beginner, intermediate, autonomous };
enum class Resolved : std::uint8_t { yes, no, partly };
enum class RequestGroup : std::uint8_t { access_to_rights, file_follow_up, change_of_situation };
enum class Request : std::uint8_t {
    // access to rights
    simulation,
    benefit_claim,
    keeping_rights,
    // file follow-up through "mon compte"
    payments,
    letters,
    calendar,
    certificates,
    // changes of situation
    family,
    work,
    children,
    contact_details,
};
enum class Action : std::uint8_t {
    information,       // info / conseil / promo du Caf.fr
    referral,          // orientation / mise en relation
    writing_help,      // aide rédactionnelle
    letter_explained,  // explication courrier / doc
    procedure_help,    // accomp. démarche
    online_procedure,  // accomp. démarche en ligne / promo caf.fr
    autonomous_use,    // usage numérique autonome
};
enum class Theme : std::uint8_t { childhood_youth, housing_living, early_childhood, solidarity };

// Each enumeration's codes (in enumeration order) and its form field / label kind.
template <class E>
struct Codes;
template <>
struct Codes<Sex> {
    static constexpr std::string_view kind = "sex";
    static constexpr std::array<std::string_view, 3> values = {"woman", "man", "legal_person"};
};
template <>
struct Codes<AgeBand> {
    static constexpr std::string_view kind = "age_band";
    static constexpr std::array<std::string_view, 3> values = {"under_25", "25_60", "over_60"};
};
template <>
struct Codes<Allocataire> {
    static constexpr std::string_view kind = "allocataire";
    static constexpr std::array<std::string_view, 2> values = {"yes", "no"};
};
template <>
struct Codes<Autonomy> {
    static constexpr std::string_view kind = "autonomy";
    static constexpr std::array<std::string_view, 3> values = {"beginner", "intermediate",
                                                               "autonomous"};
};
template <>
struct Codes<Resolved> {
    static constexpr std::string_view kind = "resolved";
    static constexpr std::array<std::string_view, 3> values = {"yes", "no", "partly"};
};
template <>
struct Codes<RequestGroup> {
    static constexpr std::string_view kind = "request_group";
    static constexpr std::array<std::string_view, 3> values = {"access_to_rights", "file_follow_up",
                                                               "change_of_situation"};
};
template <>
struct Codes<Request> {
    static constexpr std::string_view kind = "request";
    static constexpr std::array<std::string_view, 11> values = {
        "simulation",   "benefit_claim", "keeping_rights", "payments", "letters",        "calendar",
        "certificates", "family",        "work",           "children", "contact_details"};
};
template <>
struct Codes<Action> {
    static constexpr std::string_view kind = "action";
    static constexpr std::array<std::string_view, 7> values = {
        "information",    "referral",         "writing_help",  "letter_explained",
        "procedure_help", "online_procedure", "autonomous_use"};
};
template <>
struct Codes<Theme> {
    static constexpr std::string_view kind = "theme";
    static constexpr std::array<std::string_view, 4> values = {"childhood_youth", "housing_living",
                                                               "early_childhood", "solidarity"};
};

template <class E>
inline constexpr std::size_t kCount = Codes<E>::values.size();

// Every value of E, in order (for building forms and tables).
template <class E>
constexpr std::array<E, kCount<E>> all_values() {
    std::array<E, kCount<E>> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = E(i);
    return out;
}
template <class E>
constexpr std::string_view code(E e) {
    return Codes<E>::values[std::size_t(e)];
}
template <class E>
std::optional<E> parse_code(std::string_view s) {
    for (std::size_t i = 0; i < kCount<E>; ++i)
        if (Codes<E>::values[i] == s) return E(i);
    return std::nullopt;
}
// "partner_visit.sex.woman": the message key of a code's label.
template <class E>
std::string label_key(E e) {
    return "partner_visit." + std::string(Codes<E>::kind) + "." + std::string(code(e));
}

// The group of a request type (Annexe 2's three headings).
RequestGroup group_of(Request r);
// The request types of a group, in order.
std::vector<Request> requests_of(RequestGroup g);

// One ticked cell of the request-type x partner-action grid. Its form value is
// "<request>:<action>", e.g. "simulation:information".
struct Cell {
    Request request = Request::simulation;
    Action action = Action::information;
    friend auto operator<=>(const Cell&, const Cell&) = default;
};
std::string cell_code(const Cell& c);
std::optional<Cell> parse_cell(std::string_view s);

// The answers of one visit.
struct Visit {
    Sex sex = Sex::woman;
    AgeBand age_band = AgeBand::under_25;
    Allocataire allocataire = Allocataire::yes;
    Autonomy autonomy = Autonomy::beginner;
    Resolved resolved = Resolved::yes;
    std::set<Cell> cells;    // at least one
    std::set<Theme> themes;  // zero or more
};

// --- Reading the form -------------------------------------------------------------------
// The submitted form as the HTTP layer parses it (the same type as http::Params): fields
// sex, age_band, allocataire, autonomy, resolved (one code each, required), cell (one value
// "<request>:<action>" per ticked cell, at least one) and theme (zero or more codes).
// Other fields (the CSRF token...) are ignored; a cell or theme given twice counts once.
using VisitForm = std::multimap<std::string, std::string>;
// Message keys of the refusals (locales/<lang>/partner_visit.json).
inline constexpr const char* kVisitErrorRequired = "partner_visit.error.required";
inline constexpr const char* kVisitErrorNoCell = "partner_visit.error.no_cell";
inline constexpr const char* kVisitErrorUnknown = "partner_visit.error.unknown";
inline constexpr const char* kVisitErrorMultiple = "partner_visit.error.multiple";
struct VisitParse {
    std::optional<Visit> visit;  // set only when errors is empty
    FieldErrors errors;          // field name -> message key
};
// Field by field: a missing or empty answer is "required" (for cell: no cell at all is
// "no_cell"), an answer that is no code of its kind "unknown", two different answers to a
// one-answer field "multiple".
VisitParse parse_visit(const VisitForm& form);

// --- Reporting periods ------------------------------------------------------------------
// The convention's reporting period (conventions.reporting_period: "month" or "quarter").
// code(kind) / parse_code<PeriodKind>(text) as for the catalogue.
enum class PeriodKind : std::uint8_t { month, quarter };
template <>
struct Codes<PeriodKind> {
    static constexpr std::string_view kind = "period";
    static constexpr std::array<std::string_view, 2> values = {"month", "quarter"};
};

// A report is due by the kReportDeadlineDays-th day after its period's last day (month of
// November: 10 December; fourth quarter: 10 January), included; submitted later, it is late.
inline constexpr int kReportDeadlineDays = 10;

struct ReportPeriod {
    PeriodKind kind = PeriodKind::month;
    int year = 1970;
    int index = 1;  // month 1..12 or quarter 1..4

    std::string label() const;  // "2026-11", "2026-Q4" (partner_reports.period)
    LocalDay first_day() const;
    LocalDay last_day() const;
    LocalDay deadline() const;  // last_day() + kReportDeadlineDays
    bool contains(LocalDay d) const { return first_day() <= d && d <= last_day(); }
    // A report may be submitted from the period's last day on.
    bool submittable_on(LocalDay d) const { return d >= last_day(); }
    // Submitted on day d (the organisation's calendar): late after the deadline.
    bool late_if_submitted_on(LocalDay d) const { return d > deadline(); }
    // Not yet submitted on day d: overdue once the deadline has passed.
    bool overdue_on(LocalDay d) const { return d > deadline(); }
    ReportPeriod next() const;
    ReportPeriod previous() const;
    friend bool operator==(const ReportPeriod&, const ReportPeriod&) = default;
};
// The period of that kind containing d.
ReportPeriod period_of(PeriodKind kind, LocalDay d);
// "2026-11" (a month) or "2026-Q4" (a quarter); years 1970..9999; anything else nullopt.
std::optional<ReportPeriod> parse_period(std::string_view label);
// The periods from the one containing `since` (the convention's signature) whose deadline
// has passed on `today`, oldest first: the reports that must exist by now.
std::vector<ReportPeriod> periods_due(PeriodKind kind, LocalDay since, LocalDay today);

// --- The Annexe 2 tables ----------------------------------------------------------------
// Counts indexed by a catalogue enumeration.
template <class E>
struct Counts {
    std::array<int, kCount<E>> n{};
    int& operator[](E e) { return n[std::size_t(e)]; }
    int operator[](E e) const { return n[std::size_t(e)]; }
    friend bool operator==(const Counts&, const Counts&) = default;
};

struct VisitReport {
    int visits = 0;
    Counts<Sex> sex;
    Counts<AgeBand> age_band;
    Counts<Allocataire> allocataire;
    Counts<Autonomy> autonomy;
    Counts<Resolved> resolved;
    // grid[request][action]: visits that ticked that cell.
    std::array<Counts<Action>, kCount<Request>> grid{};
    // Visits that ticked at least one cell of the request type's row / of the group / of the
    // action's column (a visit counts once each, whatever the number of its cells there).
    Counts<Request> request_visits;
    Counts<RequestGroup> group_visits;
    Counts<Action> action_visits;
    Counts<Theme> theme;

    int cell(Request r, Action a) const { return grid[std::size_t(r)][a]; }
    // Ticked cells in a row / a column (sum of grid counts).
    int row_cells(Request r) const;
    int column_cells(Action a) const;
    int cells() const;  // every ticked cell of every visit
};
VisitReport aggregate(const std::vector<Visit>& visits);

}  // namespace vg::core
