// partner-hours (issue 15, docs/PARTNERS.md "Opening hours and closures"): the store's
// organisation scoping, the weekly-hours form (per-line refusals, nothing written), closures,
// the compliance result and the alert to the partner managers on a ManualClock (once per
// change for the worse, none otherwise).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/partner_hours.hpp"
#include "app/partners_admin.hpp"
#include "demo_fixture.hpp"
#include "text/i18n.hpp"

using namespace vg;

namespace {

class PartnerHoursTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        accounts = std::make_unique<app::AccountService>(*db, *clock, nullptr);
        accounts->add_member("demo", "chef@demo.test", "admin", "Chef", "t");
        admin = std::make_unique<app::PartnerAdmin>(*service, accounts.get());
        hours = std::make_unique<app::PartnerHours>(*service, i18n, "https://rdv.test");
        db->write([&](store::Session& s) {
            store::Organisation o;
            o.slug = "other";
            o.name = "Autre CAF";
            other = s.insert_organisation(o);
        });
        partner = admin->save_partner(org_id(), std::nullopt, {{"name", "Mairie de Lens"}}, "t").id;
        site = admin
                   ->save_site(org_id(), partner, std::nullopt,
                               {{"name", "Accueil"}, {"time_zone", "Europe/Paris"}}, "t")
                   .id;
        ASSERT_TRUE(admin->grant_label(org_id(), partner, {{"signed_on", "2026-01-15"}}, "t").ok());
        db->read([&](store::Session& s) {
            for (auto& a : s.accounts(org_id()))
                for (auto& m : s.memberships(a.id))
                    if (m.organisation_id == org_id() && m.role == "admin" && !a.disabled_at)
                        ++admins;
        });
        ASSERT_GT(admins, 0);
    }
    void TearDown() override {
        hours.reset();
        admin.reset();
        accounts.reset();
        DemoFixture::TearDown();
    }
    core::Id org_id() const { return org.org.id; }
    std::vector<store::OutboxRow> alerts() {
        std::vector<store::OutboxRow> out;
        db->read([&](store::Session& s) {
            for (auto& r : s.outbox(org_id(), "pending", 100))
                if (r.kind == "partner_hours") out.push_back(r);
        });
        return out;
    }
    int changes(const std::string& type) {
        int n = 0;
        db->read([&](store::Session& s) {
            store::ChangeFilter f;
            f.object_type = type;
            n = int(s.changes(org_id(), f).size());
        });
        return n;
    }
    // Four mornings of 3 hours, Monday to Thursday: exactly the minimum.
    app::Fields four_mornings(const std::string& closes = "12:00") {
        app::Fields f;
        for (int d = 0; d < 4; ++d) {
            f[app::hours_line(d, 0) + "_opens"] = "09:00";
            f[app::hours_line(d, 0) + "_closes"] = closes;
        }
        return f;
    }

    text::I18n i18n;
    std::unique_ptr<app::AccountService> accounts;
    std::unique_ptr<app::PartnerAdmin> admin;
    std::unique_ptr<app::PartnerHours> hours;
    core::Id other = 0, partner = 0, site = 0;
    int admins = 0;
};

TEST(PartnerHoursForm, ParsesTimesAndRefusesPerLine) {
    EXPECT_EQ(app::parse_hhmm("9:05"), 545);
    EXPECT_EQ(app::parse_hhmm(" 24:00 "), 1440);
    EXPECT_FALSE(app::parse_hhmm("24:01"));
    EXPECT_FALSE(app::parse_hhmm("12:60"));
    EXPECT_FALSE(app::parse_hhmm("12h00"));
    EXPECT_FALSE(app::parse_hhmm("123:00"));
    EXPECT_EQ(app::format_hhmm(545), "09:05");
    core::FieldErrors errors;
    auto spans = app::parse_hours_form({{"h0_0_opens", "09:00"},
                                        {"h0_0_closes", "12:00"},
                                        {"h0_1_opens", "11:00"},  // overlaps the first
                                        {"h0_1_closes", "14:00"},
                                        {"h1_0_opens", "14:00"},  // closes before it opens
                                        {"h1_0_closes", "10:00"},
                                        {"h2_0_opens", "09:00"},  // half a line
                                        {"h3_0_opens", "9h"},
                                        {"h3_0_closes", "10:00"},
                                        {"h4_0_opens", "24:00"},
                                        {"h4_0_closes", "24:00"},
                                        {"h5_2_opens", "08:00"},  // a third interval
                                        {"h5_2_closes", "09:00"},
                                        {"h6_1_opens", "13:00"},  // the second line alone: fine
                                        {"h6_1_closes", "18:00"}},
                                       errors);
    EXPECT_EQ(errors.at("h0_1"), "hours_rule.error.overlap");
    EXPECT_EQ(errors.at("h1_0"), "hours_rule.error.not_after");
    EXPECT_EQ(errors.at("h2_0"), "partner_hours.error_incomplete");
    EXPECT_EQ(errors.at("h3_0"), "partner_hours.error_time");
    EXPECT_EQ(errors.at("h4_0"), "partner_hours.error_time");
    EXPECT_EQ(errors.at("h5_1"), "partner_hours.error_too_many");
    EXPECT_EQ(errors.size(), 6u);
    EXPECT_FALSE(errors.count("h6_1"));
    // Stored spans back to the form and again: the same spans.
    errors.clear();
    std::vector<core::OpeningSpan> week{{0, 540, 720}, {0, 840, 1080}, {3, 600, 1440}};
    EXPECT_EQ(app::parse_hours_form(app::hours_fields(week), errors), week);
    EXPECT_TRUE(errors.empty());
}

TEST_F(PartnerHoursTest, StoreIsScopedToTheOrganisation) {
    db->write([&](store::Session& s) {
        EXPECT_TRUE(s.replace_partner_hours(org_id(), site, {{0, 540, 720}}));
        EXPECT_FALSE(s.replace_partner_hours(other, site, {{1, 540, 720}}));
        store::PartnerClosure c;
        c.organisation_id = other;
        c.partner_site_id = site;
        c.from_day = c.to_day = 20000;
        EXPECT_EQ(s.insert_partner_closure(c), 0);
        c.organisation_id = org_id();
        auto id = s.insert_partner_closure(c);
        EXPECT_GT(id, 0);
        EXPECT_FALSE(s.delete_partner_closure(other, site, id));
        EXPECT_TRUE(s.partner_closures(other, site, std::nullopt).empty());
        EXPECT_TRUE(s.partner_hours(other, site).empty());
        EXPECT_EQ(s.partner_hours(org_id(), site), (std::vector<core::OpeningSpan>{{0, 540, 720}}));
        EXPECT_EQ(s.partner_closures(org_id(), site, std::nullopt).size(), 1u);
        EXPECT_TRUE(s.partner_closures(org_id(), site, 20001).empty());  // over by then
        EXPECT_TRUE(s.delete_partner_closure(org_id(), site, id));
    });
    // Through the service: another organisation's site or another partner's is not found.
    EXPECT_TRUE(hours->save_hours(other, partner, site, four_mornings(), "t").not_found);
    EXPECT_TRUE(hours->add_closure(other, partner, site, {{"from", "2026-12-01"}}, "t").not_found);
    EXPECT_FALSE(hours->site_hours(other, partner, site));
    EXPECT_FALSE(hours->site_hours(org_id(), partner + 1000, site));
}

TEST_F(PartnerHoursTest, RefusedFormWritesNothing) {
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, four_mornings(), "t").ok());
    int journal = changes("partner_hours");
    auto f = four_mornings();
    f["h4_0_opens"] = "25:00";
    f["h4_0_closes"] = "26:00";
    auto r = hours->save_hours(org_id(), partner, site, f, "t");
    EXPECT_EQ(r.errors.at("h4_0"), "partner_hours.error_time");
    EXPECT_EQ(changes("partner_hours"), journal);
    EXPECT_EQ(hours->site_hours(org_id(), partner, site)->spans.size(), 4u);
    auto c = hours->add_closure(org_id(), partner, site,
                                {{"from", "2026-12-03"}, {"to", "2026-12-01"}}, "t");
    EXPECT_EQ(c.errors.at("to"), "hours_rule.error.closure_reversed");
    c = hours->add_closure(org_id(), partner, site, {{"from", "2026-13-01"}}, "t");
    EXPECT_EQ(c.errors.at("from"), "admin.error_date");
    c = hours->add_closure(org_id(), partner, site, {}, "t");
    EXPECT_EQ(c.errors.at("from"), "admin.error_required");
    EXPECT_EQ(changes("partner_closure"), 0);
    EXPECT_TRUE(hours->site_hours(org_id(), partner, site)->closures.empty());
}

TEST_F(PartnerHoursTest, ComplianceAndOneAlertPerChangeForTheWorse) {
    // Meeting the minimum from nothing: no alert.
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, four_mornings(), "t").ok());
    auto h = hours->site_hours(org_id(), partner, site);
    EXPECT_TRUE(h->compliance.meets());
    EXPECT_EQ(h->compliance.regular.minutes, 720);
    EXPECT_EQ(h->compliance.regular.half_days, 4);
    EXPECT_EQ(h->compliance.from, *core::parse_ymd("2026-11-25"));
    EXPECT_TRUE(alerts().empty());
    // Closing Tuesday 1 December: that week falls short, one alert to each manager.
    auto c = hours->add_closure(org_id(), partner, site,
                                {{"from", "2026-12-01"}, {"reason", "Inventaire"}}, "t");
    ASSERT_TRUE(c.ok());
    h = hours->site_hours(org_id(), partner, site);
    ASSERT_EQ(h->compliance.short_weeks.size(), 1u);
    EXPECT_EQ(h->compliance.short_weeks[0].monday, *core::parse_ymd("2026-11-30"));
    EXPECT_EQ(h->compliance.short_weeks[0].check.minutes, 540);
    EXPECT_EQ(h->compliance.short_weeks[0].check.closed_days, 1);
    EXPECT_FALSE(h->compliance.meets());
    auto rows = alerts();
    ASSERT_EQ(int(rows.size()), admins);
    auto p = nlohmann::json::parse(rows[0].payload);
    EXPECT_NE(p["subject"].get<std::string>().find("Mairie de Lens"), std::string::npos);
    EXPECT_NE(p["subject"].get<std::string>().find("Accueil"), std::string::npos);
    EXPECT_NE(p["intro"].get<std::string>().find("30 novembre 2026"), std::string::npos)
        << p["intro"];
    EXPECT_EQ(p["link"], "https://rdv.test/console/admin/partners/" + std::to_string(partner) +
                             "/sites/" + std::to_string(site));
    EXPECT_EQ(changes("partner_closure"), 1);
    // The same week closed again (Wednesday): nothing new falls short, no alert.
    ASSERT_TRUE(hours->add_closure(org_id(), partner, site, {{"from", "2026-12-02"}}, "t").ok());
    EXPECT_EQ(int(alerts().size()), admins);
    // Saving the same hours: no alert; a minute less a day: the regular week breaks, one more.
    clock->advance(60);
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, four_mornings(), "t").ok());
    EXPECT_EQ(int(alerts().size()), admins);
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, four_mornings("11:59"), "t").ok());
    EXPECT_EQ(int(alerts().size()), 2 * admins);
    int regular = 0;  // the alerts naming the regular week's shortfall
    for (auto& row : alerts())
        if (nlohmann::json::parse(row.payload)["intro"].get<std::string>().find(
                "Moins de 12 heures d'ouverture par semaine : 11 h 56 (il manque 0 h 04).") !=
            std::string::npos)
            ++regular;
    EXPECT_EQ(regular, admins);
    EXPECT_EQ(hours->alerts_queued(), 2);
    // Deleting a closure never makes it worse; another organisation cannot delete it.
    auto closures = hours->site_hours(org_id(), partner, site)->closures;
    ASSERT_EQ(closures.size(), 2u);
    EXPECT_TRUE(hours->delete_closure(other, partner, site, closures[0].id, "t").not_found);
    EXPECT_TRUE(hours->delete_closure(org_id(), partner, site, closures[0].id, "t").ok());
    EXPECT_EQ(hours->site_hours(org_id(), partner, site)->closures.size(), 1u);
    EXPECT_EQ(int(alerts().size()), 2 * admins);
}

TEST_F(PartnerHoursTest, NoAlertWithoutALiveConvention) {
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, four_mornings(), "t").ok());
    ASSERT_TRUE(admin
                    ->withdraw_label(org_id(), partner,
                                     {{"ground", "commitment"}, {"reason", "Fermé"}}, "t")
                    .ok());
    ASSERT_TRUE(hours->save_hours(org_id(), partner, site, {}, "t").ok());
    EXPECT_FALSE(hours->site_hours(org_id(), partner, site)->compliance.meets());
    EXPECT_TRUE(alerts().empty());
}

}  // namespace
