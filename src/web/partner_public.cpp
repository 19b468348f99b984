// /{org}/points-numeriques: see partner_public.hpp.
#include "web/partner_public.hpp"

#include <map>
#include <mutex>
#include <set>

#include "app/partner_hours.hpp"
#include "app/partners_admin.hpp"
#include "text/i18n.hpp"
#include "web/partner_hours_view.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

class PartnerPublicPage {
  public:
    explicit PartnerPublicPage(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          hours_(ctx_.booking, ctx_.i18n, ctx_.settings.link_base) {}

    // How long the list is kept per organisation: the minute, and until this process
    // changes hours or closures (app::hours_generation); a label or site changed meanwhile
    // shows within the minute, like the organisation's settings (BookingService::organisation).
    using Sites = std::vector<app::SiteHours>;
    std::shared_ptr<const Sites> listed(core::Id org) {
        auto key = std::to_string(ctx_.now() / 60) + "|" + std::to_string(app::hours_generation());
        {
            std::lock_guard lock(mutex_);
            if (auto it = cache_.find(org); it != cache_.end() && it->second.first == key)
                return it->second.second;
        }
        auto ids = labelled(org);
        auto out = std::make_shared<Sites>();
        if (!ids.empty())
            for (auto& h : hours_.organisation_sites(org))
                if (ids.count(h.partner.id) && !h.site.archived_at) out->push_back(std::move(h));
        std::lock_guard lock(mutex_);
        if (cache_.size() > 1000) cache_.clear();
        cache_[org] = {key, out};
        return out;
    }

    // The partners whose label holds (granted, not withdrawn, convention live).
    std::set<core::Id> labelled(core::Id org) {
        std::set<core::Id> out;
        ctx_.booking.store().read([&](store::Session& s) {
            for (auto& p : s.partners(org))
                if (!p.archived_at && app::label_state(s.label_events(org, p.id),
                                                       s.latest_convention(org, p.id)) == "granted")
                    out.insert(p.id);
        });
        return out;
    }

    Response show(Request& req) {
        auto slug = req.path_param("org");
        auto org = slug && slug->size() <= 64 ? ctx_.booking.organisation(*slug) : nullptr;
        if (!org) {
            Page page(ctx_, req, nullptr);
            return page.error(404, "error_page.not_found");
        }
        Page page(ctx_, req, &*org);
        auto& d = page.data();
        mstch::array sites;
        for (auto& h : *listed(org->org.id)) sites.push_back(site_view(page, h));
        d["sites"] = sites;
        d["has_sites"] = !sites.empty();
        d["intro"] =
            text::I18n::fill(page.t("partner_hours.public_intro"), "{organisation}", org->org.name);
        d["home_url"] = "/" + org->org.slug + "/?lang=" + page.lang();
        return page.render(200, "citizen/partner_sites", page.t("partner_hours.public_title"));
    }

    mstch::map site_view(Page& page, const app::SiteHours& h) {
        auto id = "site-" + std::to_string(h.site.id);
        mstch::array days;
        for (int wd = 0; wd < 7; ++wd) {
            auto text = day_hours_text(h.spans, wd);
            days.push_back(
                mstch::map{{"day", page.t("partner_hours.weekday." + std::to_string(wd))},
                           {"hours", text.empty() ? page.t("partner_hours.closed") : text}});
        }
        mstch::array closures;
        for (auto& c : h.closures)
            closures.push_back(mstch::map{{"range", closure_text(page, c)}, {"reason", c.reason}});
        auto place = h.site.postcode.empty() ? h.site.town : h.site.postcode + " " + h.site.town;
        return mstch::map{{"id", id},
                          {"name", h.site.name},
                          {"partner", h.partner.name},
                          {"same_name", h.site.name == h.partner.name},
                          {"address", h.site.address},
                          {"place", place},
                          {"has_address", !h.site.address.empty() || !place.empty()},
                          {"has_hours", !h.spans.empty()},
                          {"days", days},
                          {"closures", closures},
                          {"has_closures", !closures.empty()},
                          {"step_free", h.site.step_free},
                          {"accessibility", h.site.accessibility},
                          {"equipment", h.site.equipment},
                          {"video_desk", h.site.video_desk}};
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PartnerHours hours_;
    std::mutex mutex_;
    std::map<core::Id, std::pair<std::string, std::shared_ptr<const Sites>>> cache_;
};

}  // namespace

void register_partner_public_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<PartnerPublicPage>(gate);
    router.get("/{org}/points-numeriques", [p](Request& r) { return p->show(r); });
    // The page's name in the other languages sends to it in that language.
    for (auto [word, lang] : {std::pair{"digital-points", "en"},
                              {"digitale-punten", "nl"},
                              {"digitale-anlaufstellen", "de"}})
        router.get(std::string("/{org}/") + word, [lang, &ctx = gate->context()](Request& r) {
            auto slug = *r.path_param("org");
            if (slug.size() > 64 || !ctx.booking.organisation(slug)) {
                Page page(ctx, r, nullptr);
                return page.error(404, "error_page.not_found");
            }
            return Response::redirect(
                "/" + http::url_encode(slug) + "/points-numeriques?lang=" + std::string(lang), 301);
        });
}

}  // namespace vg::web
