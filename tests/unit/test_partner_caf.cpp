// partner-caf (issue 15, docs/PARTNERS.md "The CAF's overview", "The end of a partnership"):
// the notice on a convention (once, refused forms write nothing), the daily end of a convention
// under notice on a ManualClock, archiving sites and partners, the overview's share resolved.
#include <gtest/gtest.h>

#include "app/partner_caf.hpp"
#include "demo_fixture.hpp"
#include "text/i18n.hpp"

using namespace vg;

namespace {

constexpr core::Instant kDay = 24 * 3600;

class PartnerCafTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        admin = std::make_unique<app::PartnerAdmin>(*service, nullptr);
        caf = std::make_unique<app::PartnerCaf>(*service, i18n, "https://rdv.test");
        auto p = admin->save_partner(org_id(), std::nullopt, {{"name", "Mairie de Lille"}}, "t");
        ASSERT_TRUE(p.ok());
        mine = p.id;
        auto s = admin->save_site(org_id(), mine, std::nullopt,
                                  {{"name", "Accueil"}, {"time_zone", "Europe/Paris"}}, "t");
        ASSERT_TRUE(s.ok());
        site = s.id;
        // Today is 2026-11-25: the first term ends on 2027-03-14, notice deadline 2026-12-15.
        auto g = admin->grant_label(org_id(), mine, {{"signed_on", "2026-03-15"}}, "t");
        ASSERT_TRUE(g.ok());
    }
    void TearDown() override {
        caf.reset();
        admin.reset();
        DemoFixture::TearDown();
    }
    core::Id org_id() const { return org.org.id; }
    int journal_rows(const std::string& type) {
        int n = 0;
        store::ChangeFilter f;
        f.object_type = type;
        db->read([&](store::Session& s) { n = int(s.changes(org_id(), f).size()); });
        return n;
    }

    text::I18n i18n;
    std::unique_ptr<app::PartnerAdmin> admin;
    std::unique_ptr<app::PartnerCaf> caf;
    core::Id mine = 0, site = 0;
};

TEST_F(PartnerCafTest, ResolvedShareIsRoundedAndAbsentWithoutVisits) {
    EXPECT_EQ(app::resolved_percent(0, 0), std::nullopt);
    EXPECT_EQ(app::resolved_percent(1, 2), 50);
    EXPECT_EQ(app::resolved_percent(2, 3), 67);
    EXPECT_EQ(app::resolved_percent(1, 3), 33);
    EXPECT_EQ(app::resolved_percent(0, 5), 0);
}

TEST_F(PartnerCafTest, RefusedNoticesWriteNothing) {
    auto r = caf->give_notice(org_id(), mine, {}, "t");
    EXPECT_EQ(r.errors.count("by"), 1u);
    r = caf->give_notice(org_id(), mine, {{"by", "caf"}, {"given_on", "2026-11-26"}}, "t");
    EXPECT_EQ(r.errors.at("given_on"), "partner_caf.error_future");
    r = caf->give_notice(org_id(), mine, {{"by", "caf"}, {"given_on", "2026-03-14"}}, "t");
    EXPECT_EQ(r.errors.at("given_on"), "partner_caf.error_before_signature");
    r = caf->give_notice(org_id(), mine, {{"by", "mayor"}, {"given_on", "2026-02-30"}}, "t");
    EXPECT_EQ(r.errors.size(), 2u);
    EXPECT_TRUE(caf->give_notice(org_id(), 999999, {{"by", "caf"}}, "t").not_found);
    EXPECT_FALSE(caf->notice(org_id(), mine));
    EXPECT_EQ(journal_rows("convention_notice"), 0);
}

TEST_F(PartnerCafTest, NoticeEndsTheConventionAfterItsTerm) {
    auto r = caf->give_notice(org_id(), mine, {{"by", "partner"}}, "t");
    ASSERT_TRUE(r.ok());
    auto n = caf->notice(org_id(), mine);
    ASSERT_TRUE(n);
    EXPECT_EQ(core::format_ymd(n->given_on), "2026-11-25");
    EXPECT_EQ(n->given_by, "partner");
    EXPECT_EQ(core::format_ymd(n->ends_on), "2027-03-14");
    EXPECT_EQ(journal_rows("convention_notice"), 1);
    // Once only.
    r = caf->give_notice(org_id(), mine, {{"by", "caf"}}, "t");
    EXPECT_EQ(r.errors.at("convention"), "partner_caf.error_notice_given");
    // The convention holds up to its last day, and ends the day after.
    EXPECT_EQ(caf->end_noticed(), 0);
    clock->set(clock->now() + 109 * kDay);  // 2027-03-14
    EXPECT_EQ(caf->end_noticed(), 0);
    EXPECT_TRUE(admin->partner(org_id(), mine)->live());
    clock->set(clock->now() + kDay);  // 2027-03-15
    EXPECT_EQ(caf->end_noticed(), 1);
    auto v = admin->partner(org_id(), mine);
    ASSERT_FALSE(v->live());
    EXPECT_EQ(core::format_ymd(*v->convention->ended_on), "2027-03-14");
    EXPECT_EQ(v->convention->end_reason, "notice");
    EXPECT_NE(v->label, "granted");
    EXPECT_EQ(caf->end_noticed(), 0);
    // No notice on an ended convention.
    r = caf->give_notice(org_id(), mine, {{"by", "caf"}}, "t");
    EXPECT_EQ(r.errors.at("convention"), "partner_caf.error_no_convention");
}

TEST_F(PartnerCafTest, LateNoticeEndsTheNextTerm) {
    clock->set(clock->now() + 21 * kDay);  // 2026-12-16, the day after the deadline
    ASSERT_TRUE(caf->give_notice(org_id(), mine, {{"by", "caf"}}, "t").ok());
    EXPECT_EQ(core::format_ymd(caf->notice(org_id(), mine)->ends_on), "2028-03-14");
}

TEST_F(PartnerCafTest, ArchivingKeepsHistoryAndWaitsForTheConventionsEnd) {
    auto r = caf->archive_partner(org_id(), mine, "t");
    EXPECT_EQ(r.errors.at("partner"), "partner_caf.error_still_live");
    ASSERT_TRUE(caf->archive_site(org_id(), mine, site, "t").ok());
    EXPECT_TRUE(caf->archive_site(org_id(), mine, site, "t").not_found);  // once
    EXPECT_TRUE(caf->archive_site(org_id(), mine + 1, site, "t").not_found);
    ASSERT_TRUE(admin
                    ->withdraw_label(org_id(), mine,
                                     {{"ground", "commitment"}, {"reason", "Fermeture"}}, "t")
                    .ok());
    auto second = admin->save_site(org_id(), mine, std::nullopt,
                                   {{"name", "Annexe"}, {"time_zone", "Europe/Paris"}}, "t");
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE(caf->archive_partner(org_id(), mine, "t").ok());
    db->read([&](store::Session& s) {
        EXPECT_TRUE(s.partner(org_id(), mine)->archived_at);
        for (auto& x : s.partner_sites(org_id(), mine)) EXPECT_TRUE(x.archived_at) << x.name;
    });
    EXPECT_TRUE(caf->archive_partner(org_id(), mine, "t").not_found);
    // Still in the overview, with its history.
    auto o = caf->partner(org_id(), mine);
    ASSERT_TRUE(o);
    EXPECT_TRUE(o->view.partner.archived_at);
    EXPECT_EQ(o->sites, 0);
}

}  // namespace
