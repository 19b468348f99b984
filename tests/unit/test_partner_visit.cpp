// Annexe 2 of the "Point numérique Caf" convention (seed 001): the visit form's codes and
// refusals, the reporting periods and their deadlines, the tables of a period's visits
// (checked against counts made by hand).
#include <date/date.h>
#include <gtest/gtest.h>

#include "core/opening_hours.hpp"
#include "core/partner_visit.hpp"
#include "text/i18n.hpp"

namespace vg::core {
namespace {

LocalDay day(int y, unsigned m, unsigned d) {
    return LocalDay(
        date::local_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count());
}

VisitForm form(std::initializer_list<std::pair<const std::string, std::string>> fields) {
    return VisitForm(fields);
}

// A complete, valid form.
VisitForm complete() {
    return form({{"csrf", "token"},
                 {"sex", "woman"},
                 {"age_band", "25_60"},
                 {"allocataire", "yes"},
                 {"autonomy", "beginner"},
                 {"resolved", "partly"},
                 {"cell", "simulation:information"}});
}

TEST(PartnerVisit, TheCatalogueHasTheAnnexeTwoLists) {
    EXPECT_EQ(kCount<Sex>, 3u);
    EXPECT_EQ(kCount<AgeBand>, 3u);
    EXPECT_EQ(kCount<Allocataire>, 2u);
    EXPECT_EQ(kCount<Autonomy>, 3u);
    EXPECT_EQ(kCount<Resolved>, 3u);
    EXPECT_EQ(kCount<Request>, 11u);
    EXPECT_EQ(kCount<Action>, 7u);
    EXPECT_EQ(kCount<Theme>, 4u);
    EXPECT_EQ(requests_of(RequestGroup::access_to_rights),
              (std::vector<Request>{Request::simulation, Request::benefit_claim,
                                    Request::keeping_rights}));
    EXPECT_EQ(requests_of(RequestGroup::file_follow_up),
              (std::vector<Request>{Request::payments, Request::letters, Request::calendar,
                                    Request::certificates}));
    EXPECT_EQ(requests_of(RequestGroup::change_of_situation),
              (std::vector<Request>{Request::family, Request::work, Request::children,
                                    Request::contact_details}));
    // Every code reads back as itself; the cells too.
    for (Request r : all_values<Request>())
        for (Action a : all_values<Action>()) {
            const Cell c{r, a};
            ASSERT_EQ(parse_cell(cell_code(c)), c) << cell_code(c);
        }
    for (Theme t : all_values<Theme>()) EXPECT_EQ(parse_code<Theme>(code(t)), t);
    EXPECT_EQ(cell_code({Request::contact_details, Action::online_procedure}),
              "contact_details:online_procedure");
    EXPECT_EQ(label_key(AgeBand::over_60), "partner_visit.age_band.over_60");
    EXPECT_FALSE(parse_code<Sex>("Woman"));
    EXPECT_FALSE(parse_cell("simulation"));
    EXPECT_FALSE(parse_cell("simulation:"));
    EXPECT_FALSE(parse_cell(":information"));
    EXPECT_FALSE(parse_cell("information:simulation"));
}

// Each code has its label in French (the other languages: Catalogues.*), the French of the
// seed; the opening-hours refusals too.
TEST(PartnerVisit, EveryCodeHasALabel) {
    text::I18n i18n;
    i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
    auto has = [&](const std::string& key) {
        for (auto& lang : text::kLanguages) EXPECT_NE(i18n.t(lang, key), key) << lang;
    };
    for (auto v : all_values<Sex>()) has(label_key(v));
    for (auto v : all_values<AgeBand>()) has(label_key(v));
    for (auto v : all_values<Allocataire>()) has(label_key(v));
    for (auto v : all_values<Autonomy>()) has(label_key(v));
    for (auto v : all_values<Resolved>()) has(label_key(v));
    for (auto v : all_values<RequestGroup>()) has(label_key(v));
    for (auto v : all_values<Request>()) has(label_key(v));
    for (auto v : all_values<Action>()) has(label_key(v));
    for (auto v : all_values<Theme>()) has(label_key(v));
    for (auto v : all_values<PeriodKind>()) has(label_key(v));
    for (auto key :
         {kVisitErrorRequired, kVisitErrorNoCell, kVisitErrorUnknown, kVisitErrorMultiple})
        has(key);
    for (auto e : {HoursError::bad_weekday, HoursError::out_of_range, HoursError::not_after,
                   HoursError::overlap})
        has(std::string("hours_rule.error.") + to_code(e));
    EXPECT_EQ(i18n.t("fr", label_key(Sex::legal_person)), "Personne morale");
    EXPECT_EQ(i18n.t("fr", label_key(Request::contact_details)), "Coordonnées (dont RIB)");
    EXPECT_EQ(i18n.t("fr", label_key(Action::writing_help)), "Aide rédactionnelle");
    EXPECT_EQ(i18n.t("fr", label_key(Theme::housing_living)), "Logement et cadre de vie");
    EXPECT_EQ(i18n.t("fr", label_key(RequestGroup::file_follow_up)),
              "Suivi dossier via mon compte");
}

TEST(PartnerVisit, ACompleteFormGivesTheVisit) {
    auto f = complete();
    f.insert({"cell", "family:writing_help"});
    f.insert({"cell", "simulation:information"});  // the same cell twice counts once
    f.insert({"theme", "early_childhood"});
    f.insert({"theme", ""});  // an empty value is no answer
    const auto parsed = parse_visit(f);
    EXPECT_TRUE(parsed.errors.empty());
    ASSERT_TRUE(parsed.visit);
    const Visit& v = *parsed.visit;
    EXPECT_EQ(v.sex, Sex::woman);
    EXPECT_EQ(v.age_band, AgeBand::from_25_to_60);
    EXPECT_EQ(v.allocataire, Allocataire::yes);
    EXPECT_EQ(v.autonomy, Autonomy::beginner);
    EXPECT_EQ(v.resolved, Resolved::partly);
    EXPECT_EQ(v.cells, (std::set<Cell>{{Request::simulation, Action::information},
                                       {Request::family, Action::writing_help}}));
    EXPECT_EQ(v.themes, std::set<Theme>{Theme::early_childhood});
    // Themes are optional.
    EXPECT_TRUE(parse_visit(complete()).visit);
}

TEST(PartnerVisit, AnEmptyFormIsRefusedFieldByField) {
    const auto parsed = parse_visit(form({{"csrf", "x"}, {"sex", ""}}));
    EXPECT_FALSE(parsed.visit);
    const FieldErrors expected = {
        {"sex", kVisitErrorRequired},         {"age_band", kVisitErrorRequired},
        {"allocataire", kVisitErrorRequired}, {"autonomy", kVisitErrorRequired},
        {"resolved", kVisitErrorRequired},    {"cell", kVisitErrorNoCell}};
    EXPECT_EQ(parsed.errors, expected);
}

TEST(PartnerVisit, UnknownCodesAndTwoAnswersAreRefused) {
    // Each faulty field alone, the rest of the form complete.
    auto with = [](const std::string& field, std::vector<std::string> values) {
        auto f = complete();
        f.erase(field);
        for (auto& v : values) f.insert({field, v});
        return parse_visit(f);
    };
    struct Case {
        std::string field;
        std::vector<std::string> values;
        const char* error;
    };
    const std::vector<Case> cases = {
        {"sex", {"female"}, kVisitErrorUnknown},
        {"sex", {"woman", "man"}, kVisitErrorMultiple},
        {"age_band", {"<25"}, kVisitErrorUnknown},
        {"allocataire", {"1"}, kVisitErrorUnknown},
        {"allocataire", {"yes", "no"}, kVisitErrorMultiple},
        {"autonomy", {"expert"}, kVisitErrorUnknown},
        {"resolved", {"maybe"}, kVisitErrorUnknown},
        {"resolved", {"yes", "partly"}, kVisitErrorMultiple},
        {"cell", {"simulation:information", "simulation:nothing"}, kVisitErrorUnknown},
        {"cell", {"simulation"}, kVisitErrorUnknown},
        {"cell", {}, kVisitErrorNoCell},
        {"theme", {"sport"}, kVisitErrorUnknown},
    };
    for (auto& c : cases) {
        const auto parsed = with(c.field, c.values);
        EXPECT_FALSE(parsed.visit) << c.field;
        EXPECT_EQ(parsed.errors, (FieldErrors{{c.field, c.error}})) << c.field;
    }
    // The same answer twice is one answer.
    const auto twice = with("sex", {"man", "man"});
    ASSERT_TRUE(twice.visit);
    EXPECT_EQ(twice.visit->sex, Sex::man);
}

TEST(PartnerVisit, MonthsAndQuartersHaveLabelsBoundsAndDeadlines) {
    const auto nov = period_of(PeriodKind::month, day(2026, 11, 25));
    EXPECT_EQ(nov.label(), "2026-11");
    EXPECT_EQ(nov.first_day(), day(2026, 11, 1));
    EXPECT_EQ(nov.last_day(), day(2026, 11, 30));
    EXPECT_EQ(nov.deadline(), day(2026, 12, 10));
    EXPECT_TRUE(nov.contains(day(2026, 11, 1)));
    EXPECT_TRUE(nov.contains(day(2026, 11, 30)));
    EXPECT_FALSE(nov.contains(day(2026, 12, 1)));
    EXPECT_FALSE(nov.late_if_submitted_on(day(2026, 12, 10)));
    EXPECT_TRUE(nov.late_if_submitted_on(day(2026, 12, 11)));
    EXPECT_FALSE(nov.overdue_on(day(2026, 12, 10)));
    EXPECT_TRUE(nov.overdue_on(day(2026, 12, 11)));
    EXPECT_FALSE(nov.submittable_on(day(2026, 11, 29)));
    EXPECT_TRUE(nov.submittable_on(day(2026, 11, 30)));

    const auto q4 = period_of(PeriodKind::quarter, day(2026, 11, 25));
    EXPECT_EQ(q4.label(), "2026-Q4");
    EXPECT_EQ(q4.first_day(), day(2026, 10, 1));
    EXPECT_EQ(q4.last_day(), day(2026, 12, 31));
    EXPECT_EQ(q4.deadline(), day(2027, 1, 10));
    EXPECT_EQ(period_of(PeriodKind::quarter, day(2026, 3, 31)).label(), "2026-Q1");
    EXPECT_EQ(period_of(PeriodKind::quarter, day(2026, 4, 1)).label(), "2026-Q2");
    const ReportPeriod q1{PeriodKind::quarter, 2026, 1};
    EXPECT_EQ(q1.first_day(), day(2026, 1, 1));
    EXPECT_EQ(q1.last_day(), day(2026, 3, 31));
    EXPECT_EQ(q1.previous().label(), "2025-Q4");
    EXPECT_EQ(q4.next().label(), "2027-Q1");
    EXPECT_EQ(ReportPeriod({PeriodKind::month, 2028, 2}).last_day(), day(2028, 2, 29));
    EXPECT_EQ(ReportPeriod({PeriodKind::month, 2026, 12}).next().label(), "2027-01");
    EXPECT_EQ(ReportPeriod({PeriodKind::month, 2026, 1}).previous().label(), "2025-12");
}

TEST(PartnerVisit, PeriodLabelsReadBack) {
    for (auto label : {"2026-11", "2026-01", "2026-Q4", "2027-Q1", "1970-01", "9999-12"}) {
        const auto p = parse_period(label);
        ASSERT_TRUE(p) << label;
        EXPECT_EQ(p->label(), label);
    }
    EXPECT_EQ(parse_period("2026-Q4")->kind, PeriodKind::quarter);
    EXPECT_EQ(parse_period("2026-11")->kind, PeriodKind::month);
    for (auto bad : {"", "2026", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-q4", "26-11",
                     "2026-1", "2026/11", "1969-12", "2026-11 ", " 2026-11", "2026-+1", "2026-Q+"})
        EXPECT_FALSE(parse_period(bad)) << bad;
    EXPECT_EQ(parse_code<PeriodKind>("quarter"), PeriodKind::quarter);
    EXPECT_EQ(code(PeriodKind::month), "month");
}

TEST(PartnerVisit, PeriodsDueSinceTheSignature) {
    auto labels = [](const std::vector<ReportPeriod>& ps) {
        std::vector<std::string> out;
        for (auto& p : ps) out.push_back(p.label());
        return out;
    };
    const LocalDay signed_on = day(2026, 9, 15);
    EXPECT_EQ(labels(periods_due(PeriodKind::month, signed_on, day(2026, 12, 10))),
              (std::vector<std::string>{"2026-09", "2026-10"}));
    EXPECT_EQ(labels(periods_due(PeriodKind::month, signed_on, day(2026, 12, 11))),
              (std::vector<std::string>{"2026-09", "2026-10", "2026-11"}));
    EXPECT_EQ(labels(periods_due(PeriodKind::quarter, signed_on, day(2027, 1, 11))),
              (std::vector<std::string>{"2026-Q3", "2026-Q4"}));
    EXPECT_TRUE(periods_due(PeriodKind::month, signed_on, signed_on).empty());
}

// Five visits, their tables counted by hand.
TEST(PartnerVisit, TheReportAggregatesTheVisitsIntoTheAnnexeTwoTables) {
    const std::vector<VisitForm> forms = {
        form({{"sex", "woman"},
              {"age_band", "under_25"},
              {"allocataire", "yes"},
              {"autonomy", "beginner"},
              {"resolved", "yes"},
              {"cell", "simulation:information"},
              {"cell", "simulation:online_procedure"},
              {"theme", "housing_living"}}),
        form({{"sex", "man"},
              {"age_band", "25_60"},
              {"allocataire", "no"},
              {"autonomy", "intermediate"},
              {"resolved", "no"},
              {"cell", "payments:letter_explained"}}),
        form({{"sex", "legal_person"},
              {"age_band", "over_60"},
              {"allocataire", "yes"},
              {"autonomy", "autonomous"},
              {"resolved", "partly"},
              {"cell", "contact_details:online_procedure"},
              {"cell", "family:procedure_help"},
              {"cell", "family:writing_help"},
              {"theme", "childhood_youth"},
              {"theme", "solidarity"}}),
        form({{"sex", "woman"},
              {"age_band", "25_60"},
              {"allocataire", "yes"},
              {"autonomy", "beginner"},
              {"resolved", "partly"},
              {"cell", "simulation:information"},
              {"cell", "benefit_claim:referral"},
              {"theme", "housing_living"},
              {"theme", "early_childhood"}}),
        form({{"sex", "woman"},
              {"age_band", "over_60"},
              {"allocataire", "no"},
              {"autonomy", "beginner"},
              {"resolved", "yes"},
              {"cell", "certificates:autonomous_use"},
              {"theme", "solidarity"}}),
    };
    std::vector<Visit> visits;
    for (auto& f : forms) {
        auto parsed = parse_visit(f);
        ASSERT_TRUE(parsed.visit);
        visits.push_back(*parsed.visit);
    }
    const VisitReport r = aggregate(visits);
    EXPECT_EQ(r.visits, 5);
    EXPECT_EQ(r.sex.n, (std::array<int, 3>{3, 1, 1}));
    EXPECT_EQ(r.age_band.n, (std::array<int, 3>{1, 2, 2}));
    EXPECT_EQ(r.allocataire.n, (std::array<int, 2>{3, 2}));
    EXPECT_EQ(r.autonomy.n, (std::array<int, 3>{3, 1, 1}));
    EXPECT_EQ(r.resolved.n, (std::array<int, 3>{2, 1, 2}));
    EXPECT_EQ(r.resolved[Resolved::partly], 2);

    // The grid: 9 ticked cells, simulation x information twice.
    const std::map<std::pair<Request, Action>, int> ticked = {
        {{Request::simulation, Action::information}, 2},
        {{Request::simulation, Action::online_procedure}, 1},
        {{Request::benefit_claim, Action::referral}, 1},
        {{Request::payments, Action::letter_explained}, 1},
        {{Request::certificates, Action::autonomous_use}, 1},
        {{Request::family, Action::procedure_help}, 1},
        {{Request::family, Action::writing_help}, 1},
        {{Request::contact_details, Action::online_procedure}, 1},
    };
    for (Request req : all_values<Request>())
        for (Action act : all_values<Action>()) {
            auto it = ticked.find({req, act});
            EXPECT_EQ(r.cell(req, act), it == ticked.end() ? 0 : it->second)
                << code(req) << ":" << code(act);
        }
    EXPECT_EQ(r.cells(), 9);
    EXPECT_EQ(r.row_cells(Request::simulation), 3);
    EXPECT_EQ(r.row_cells(Request::family), 2);
    EXPECT_EQ(r.row_cells(Request::work), 0);
    EXPECT_EQ(r.column_cells(Action::information), 2);
    EXPECT_EQ(r.column_cells(Action::online_procedure), 2);
    EXPECT_EQ(r.column_cells(Action::referral), 1);
    // Visits per row, group and column: a visit counts once however many cells it ticked.
    EXPECT_EQ(r.request_visits[Request::simulation], 2);
    EXPECT_EQ(r.request_visits[Request::family], 1);
    EXPECT_EQ(r.request_visits[Request::letters], 0);
    EXPECT_EQ(r.group_visits.n, (std::array<int, 3>{2, 2, 1}));
    EXPECT_EQ(r.action_visits.n, (std::array<int, 7>{2, 1, 1, 1, 1, 2, 1}));
    EXPECT_EQ(r.theme.n, (std::array<int, 4>{1, 2, 1, 2}));

    // No visit: every table is zero.
    const VisitReport none = aggregate({});
    EXPECT_EQ(none.visits, 0);
    EXPECT_EQ(none.cells(), 0);
    EXPECT_EQ(none.sex.n, (std::array<int, 3>{}));
}

}  // namespace
}  // namespace vg::core
