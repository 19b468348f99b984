// partner-screens (issue 15, docs/PARTNERS.md "The partner's screens"): visits logged whole
// or not at all, scoped to the organisation and the partner, deleted on their own day only;
// the period's report submitted once, from its last day on, late after its deadline (on a
// ManualClock).
#include <gtest/gtest.h>

#include "app/partner_screens.hpp"
#include "demo_fixture.hpp"

using namespace vg;

namespace {

constexpr core::Instant kDay = 24 * 3600;

class PartnerScreensTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        admin = std::make_unique<app::PartnerAdmin>(*service, nullptr);
        screens = std::make_unique<app::PartnerScreens>(*service);
        mine = partner("Mairie de Lille");
        neighbour = partner("Médiathèque");
        auto s = admin->save_site(org_id(), mine, std::nullopt,
                                  {{"name", "Accueil"}, {"time_zone", "Europe/Paris"}}, "test");
        ASSERT_TRUE(s.ok());
        site = s.id;
        auto g = admin->grant_label(org_id(), mine,
                                    {{"signed_on", "2026-03-15"},
                                     {"reporting_period", "month"},
                                     {"director_name", "Claire Dupont"}},
                                    "test");
        ASSERT_TRUE(g.ok());
    }
    void TearDown() override {
        screens.reset();
        admin.reset();
        DemoFixture::TearDown();
    }
    core::Id org_id() const { return org.org.id; }
    core::Id partner(const std::string& name) {
        auto r = admin->save_partner(org_id(), std::nullopt, {{"name", name}, {"town", "Lille"}},
                                     "test");
        EXPECT_TRUE(r.ok());
        return r.id;
    }
    static core::VisitForm good() {
        return {{"sex", "woman"},
                {"age_band", "over_60"},
                {"allocataire", "yes"},
                {"autonomy", "beginner"},
                {"resolved", "partly"},
                {"cell", "simulation:information"},
                {"cell", "payments:online_procedure"},
                {"theme", "housing_living"},
                {"csrf", "ignored"}};
    }
    int visit_rows() {
        int n = 0;
        db->read([&](store::Session& s) {
            n = int(s.partner_visits(org_id(), mine, 0, 100000).size());
        });
        return n;
    }

    std::unique_ptr<app::PartnerAdmin> admin;
    std::unique_ptr<app::PartnerScreens> screens;
    core::Id mine = 0, neighbour = 0, site = 0;
};

TEST_F(PartnerScreensTest, AVisitIsWrittenWholeWithItsCellsAndThemes) {
    auto r = screens->log_visit(org_id(), mine, std::nullopt, good());
    ASSERT_TRUE(r.ok());
    auto p = core::parse_period("2026-11");
    auto visits = screens->visits(org_id(), mine, *p);
    ASSERT_EQ(visits.size(), 1u);
    EXPECT_EQ(core::format_ymd(visits[0].day), "2026-11-25");  // the site's today
    EXPECT_EQ(visits[0].partner_site_id, site);
    EXPECT_EQ(visits[0].visit.sex, core::Sex::woman);
    EXPECT_EQ(visits[0].visit.resolved, core::Resolved::partly);
    EXPECT_EQ(visits[0].visit.cells.size(), 2u);
    EXPECT_EQ(visits[0].visit.themes, std::set<core::Theme>{core::Theme::housing_living});
    // Another partner of the organisation sees none of them.
    EXPECT_TRUE(screens->visits(org_id(), neighbour, *p).empty());
}

TEST_F(PartnerScreensTest, ARefusedVisitWritesNothing) {
    auto f = good();
    f.erase("sex");
    f.erase("cell");
    auto r = screens->log_visit(org_id(), mine, std::nullopt, f);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.errors.at("sex"), core::kVisitErrorRequired);
    EXPECT_EQ(r.errors.at("cell"), core::kVisitErrorNoCell);
    f = good();
    f.emplace("day", "2026-11-26");  // tomorrow
    r = screens->log_visit(org_id(), mine, std::nullopt, f);
    EXPECT_EQ(r.errors.at("day"), "partner.error_day_future");
    f = good();
    f.emplace("site", "999999");
    r = screens->log_visit(org_id(), mine, std::nullopt, f);
    EXPECT_EQ(r.errors.at("site"), core::kVisitErrorUnknown);
    // The neighbour has no site: nowhere to log a visit.
    r = screens->log_visit(org_id(), neighbour, std::nullopt, good());
    EXPECT_EQ(r.errors.at("site"), "partner.error_no_site");
    EXPECT_EQ(visit_rows(), 0);
}

TEST_F(PartnerScreensTest, AVisitIsDeletedOnItsOwnDayOnlyAndByItsPartner) {
    auto a = screens->log_visit(org_id(), mine, std::nullopt, good());
    auto b = screens->log_visit(org_id(), mine, std::nullopt, good());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_FALSE(screens->delete_visit(org_id(), neighbour, a.id));
    EXPECT_TRUE(screens->delete_visit(org_id(), mine, a.id));
    EXPECT_FALSE(screens->delete_visit(org_id(), mine, a.id));  // gone
    clock->advance(kDay);
    EXPECT_FALSE(screens->delete_visit(org_id(), mine, b.id));  // yesterday's stays
    EXPECT_EQ(visit_rows(), 1);
}

TEST_F(PartnerScreensTest, TheReportIsSubmittedOnceFromTheLastDayAndLateAfterTheDeadline) {
    ASSERT_TRUE(screens->log_visit(org_id(), mine, std::nullopt, good()).ok());
    auto v = screens->report(org_id(), mine, "2026-11");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->report.visits, 1);
    EXPECT_EQ(v->report.cell(core::Request::simulation, core::Action::information), 1);
    EXPECT_FALSE(v->submittable);  // 25 November: the month is not over
    auto r = screens->submit_report(org_id(), mine, std::nullopt, "2026-11", "");
    EXPECT_EQ(r.errors.at("period"), "partner.error_not_yet");
    // A quarter's label, a future month, another organisation's partner: not found.
    EXPECT_FALSE(screens->report(org_id(), mine, "2026-Q4"));
    EXPECT_FALSE(screens->report(org_id(), mine, "2026-12"));
    EXPECT_FALSE(screens->report(org_id() + 1000, mine, "2026-11"));
    // 11 December: one day after the deadline (10 December).
    clock->advance(16 * kDay);
    EXPECT_TRUE(screens->report(org_id(), mine, "2026-11")->late_now);
    r = screens->submit_report(org_id(), mine, std::nullopt, "2026-11", "RAS");
    ASSERT_TRUE(r.ok());
    v = screens->report(org_id(), mine, "2026-11");
    ASSERT_TRUE(v->submitted);
    EXPECT_TRUE(v->submitted->late);
    EXPECT_EQ(v->submitted->comment, "RAS");
    EXPECT_FALSE(v->submittable);
    r = screens->submit_report(org_id(), mine, std::nullopt, "2026-11", "again");
    EXPECT_EQ(r.errors.at("period"), "partner.error_submitted");
    // A visit of a reported period is refused.
    auto f = good();
    f.emplace("day", "2026-11-20");
    EXPECT_EQ(screens->log_visit(org_id(), mine, std::nullopt, f).errors.at("day"),
              "partner.error_day_reported");
    // The home: November submitted late; the earlier months overdue.
    auto h = screens->home(org_id(), mine);
    ASSERT_TRUE(h);
    ASSERT_FALSE(h->due.empty());
    EXPECT_EQ(h->due.back().period.label(), "2026-11");
    EXPECT_TRUE(h->due.back().report && h->due.back().report->late);
    EXPECT_EQ(h->due.front().period.label(), "2026-03");
    EXPECT_TRUE(h->due.front().overdue);
}

TEST_F(PartnerScreensTest, ASubmissionOnTheDeadlineIsOnTime) {
    clock->advance(15 * kDay);  // 10 December
    ASSERT_TRUE(screens->submit_report(org_id(), mine, std::nullopt, "2026-11", "").ok());
    EXPECT_FALSE(screens->report(org_id(), mine, "2026-11")->submitted->late);
}

TEST_F(PartnerScreensTest, TheCertificateHoldsWhileTheLabelDoes) {
    auto c = screens->certificate(org_id(), mine, "Caf du Nord");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->fields.partner_name, "Mairie de Lille");
    EXPECT_EQ(c->fields.caf_name, "Caf du Nord");
    EXPECT_EQ(c->fields.director_name, "Claire Dupont");
    EXPECT_EQ(core::format_ymd(c->signed_on), "2026-03-15");
    EXPECT_FALSE(screens->certificate(org_id(), neighbour, "Caf du Nord"));
    ASSERT_TRUE(admin
                    ->withdraw_label(org_id(), mine,
                                     {{"ground", "indicators"}, {"reason", "Aucun bilan"}}, "test")
                    .ok());
    EXPECT_FALSE(screens->certificate(org_id(), mine, "Caf du Nord"));
}

}  // namespace
