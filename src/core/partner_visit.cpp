#include "core/partner_visit.hpp"

#include <date/date.h>

#include <charconv>
#include <cstdio>

namespace vg::core {

RequestGroup group_of(Request r) {
    switch (r) {
        case Request::simulation:
        case Request::benefit_claim:
        case Request::keeping_rights:
            return RequestGroup::access_to_rights;
        case Request::payments:
        case Request::letters:
        case Request::calendar:
        case Request::certificates:
            return RequestGroup::file_follow_up;
        case Request::family:
        case Request::work:
        case Request::children:
        case Request::contact_details:
            return RequestGroup::change_of_situation;
    }
    return RequestGroup::access_to_rights;
}

std::vector<Request> requests_of(RequestGroup g) {
    std::vector<Request> out;
    for (Request r : all_values<Request>())
        if (group_of(r) == g) out.push_back(r);
    return out;
}

std::string cell_code(const Cell& c) {
    return std::string(code(c.request)) + ":" + std::string(code(c.action));
}

std::optional<Cell> parse_cell(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto request = parse_code<Request>(s.substr(0, colon));
    auto action = parse_code<Action>(s.substr(colon + 1));
    if (!request || !action) return std::nullopt;
    return Cell{*request, *action};
}

// --- Reading the form -------------------------------------------------------------------

namespace {

// The values given for a field, empty ones left out.
std::vector<std::string> values_of(const VisitForm& form, const std::string& name) {
    std::vector<std::string> out;
    auto [from, to] = form.equal_range(name);
    for (auto it = from; it != to; ++it)
        if (!it->second.empty()) out.push_back(it->second);
    return out;
}

// A one-answer field.
template <class E>
E one(const VisitForm& form, FieldErrors& errors) {
    const std::string field(Codes<E>::kind);
    const auto values = values_of(form, field);
    if (values.empty()) {
        errors.emplace(field, kVisitErrorRequired);
        return E{};
    }
    for (auto& v : values)
        if (v != values.front()) {
            errors.emplace(field, kVisitErrorMultiple);
            return E{};
        }
    auto parsed = parse_code<E>(values.front());
    if (!parsed) {
        errors.emplace(field, kVisitErrorUnknown);
        return E{};
    }
    return *parsed;
}

}  // namespace

VisitParse parse_visit(const VisitForm& form) {
    VisitParse out;
    Visit v;
    v.sex = one<Sex>(form, out.errors);
    v.age_band = one<AgeBand>(form, out.errors);
    v.allocataire = one<Allocataire>(form, out.errors);
    v.autonomy = one<Autonomy>(form, out.errors);
    v.resolved = one<Resolved>(form, out.errors);
    for (auto& value : values_of(form, "cell")) {
        if (auto cell = parse_cell(value)) {
            v.cells.insert(*cell);
        } else {
            out.errors.emplace("cell", kVisitErrorUnknown);
        }
    }
    if (v.cells.empty() && !out.errors.count("cell")) out.errors.emplace("cell", kVisitErrorNoCell);
    const std::string theme_field(Codes<Theme>::kind);
    for (auto& value : values_of(form, theme_field)) {
        if (auto theme = parse_code<Theme>(value)) {
            v.themes.insert(*theme);
        } else {
            out.errors.emplace(theme_field, kVisitErrorUnknown);
        }
    }
    if (out.errors.empty()) out.visit = std::move(v);
    return out;
}

// --- Reporting periods ------------------------------------------------------------------

namespace {

LocalDay civil(int year, int month, int day) {
    return LocalDay(
        date::local_days{date::year{year} / date::month{unsigned(month)} / date::day{unsigned(day)}}
            .time_since_epoch()
            .count());
}

int first_month(const ReportPeriod& p) {
    return p.kind == PeriodKind::month ? p.index : 3 * (p.index - 1) + 1;
}
int periods_per_year(PeriodKind k) {
    return k == PeriodKind::month ? 12 : 4;
}

std::optional<int> number(std::string_view s) {
    int out = 0;
    if (s.empty()) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return out;
}

}  // namespace

std::string ReportPeriod::label() const {
    char buf[16];
    if (kind == PeriodKind::month) {
        std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
    } else {
        std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
    }
    return buf;
}

LocalDay ReportPeriod::first_day() const {
    return civil(year, first_month(*this), 1);
}

LocalDay ReportPeriod::last_day() const {
    return next().first_day() - 1;
}

LocalDay ReportPeriod::deadline() const {
    return last_day() + kReportDeadlineDays;
}

ReportPeriod ReportPeriod::next() const {
    if (index < periods_per_year(kind)) return {kind, year, index + 1};
    return {kind, year + 1, 1};
}

ReportPeriod ReportPeriod::previous() const {
    if (index > 1) return {kind, year, index - 1};
    return {kind, year - 1, periods_per_year(kind)};
}

ReportPeriod period_of(PeriodKind kind, LocalDay d) {
    const date::year_month_day ymd{date::local_days{date::days{d}}};
    const int year = int(ymd.year());
    const int month = int(unsigned(ymd.month()));
    return {kind, year, kind == PeriodKind::month ? month : (month - 1) / 3 + 1};
}

std::optional<ReportPeriod> parse_period(std::string_view label) {
    if (label.size() < 7 || label[4] != '-') return std::nullopt;
    auto year = number(label.substr(0, 4));
    if (!year || *year < 1970) return std::nullopt;
    const auto rest = label.substr(5);
    if (rest.size() == 2 && rest[0] == 'Q') {
        auto q = number(rest.substr(1));
        if (q && *q >= 1 && *q <= 4) return ReportPeriod{PeriodKind::quarter, *year, *q};
    } else if (rest.size() == 2) {
        auto m = number(rest);
        if (m && *m >= 1 && *m <= 12) return ReportPeriod{PeriodKind::month, *year, *m};
    }
    return std::nullopt;
}

std::vector<ReportPeriod> periods_due(PeriodKind kind, LocalDay since, LocalDay today) {
    std::vector<ReportPeriod> out;
    for (auto p = period_of(kind, since); p.overdue_on(today); p = p.next()) out.push_back(p);
    return out;
}

// --- The Annexe 2 tables ----------------------------------------------------------------

int VisitReport::row_cells(Request r) const {
    int n = 0;
    for (int c : grid[std::size_t(r)].n) n += c;
    return n;
}

int VisitReport::column_cells(Action a) const {
    int n = 0;
    for (auto& row : grid) n += row[a];
    return n;
}

int VisitReport::cells() const {
    int n = 0;
    for (Request r : all_values<Request>()) n += row_cells(r);
    return n;
}

VisitReport aggregate(const std::vector<Visit>& visits) {
    VisitReport out;
    for (const auto& v : visits) {
        ++out.visits;
        ++out.sex[v.sex];
        ++out.age_band[v.age_band];
        ++out.allocataire[v.allocataire];
        ++out.autonomy[v.autonomy];
        ++out.resolved[v.resolved];
        std::set<Request> rows;
        std::set<RequestGroup> groups;
        std::set<Action> columns;
        for (const auto& c : v.cells) {
            ++out.grid[std::size_t(c.request)][c.action];
            rows.insert(c.request);
            groups.insert(group_of(c.request));
            columns.insert(c.action);
        }
        for (Request r : rows) ++out.request_visits[r];
        for (RequestGroup g : groups) ++out.group_visits[g];
        for (Action a : columns) ++out.action_visits[a];
        for (Theme t : v.themes) ++out.theme[t];
    }
    return out;
}

}  // namespace vg::core
