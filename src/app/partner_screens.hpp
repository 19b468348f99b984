// The partner's own side (issue 15, docs/PARTNERS.md "The partner's screens"): its home
// (sites, label, convention, reports due), the label certificate, the visits it logs
// (Annexe 2) and the period's report it submits. Every call takes the organisation and the
// partner of the signed-in partner staff: another partner's ids are not found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/partners_admin.hpp"
#include "core/partner_visit.hpp"
#include "text/certificate_pdf.hpp"

namespace vg::app {

// A period whose report is due (or submitted) as the home lists it.
struct DueReport {
    core::ReportPeriod period;
    std::optional<store::PartnerReport> report;  // submitted
    bool overdue = false;                        // not submitted, deadline passed
};

struct PartnerHome {
    PartnerView view;
    std::vector<store::PartnerSite> sites;  // not archived
    std::vector<DueReport> due;             // oldest first
    std::optional<core::ReportPeriod> current;
    core::LocalDay today = 0;  // the organisation's
};

// A period's report: the visits aggregated, and the stored report once submitted.
struct ReportView {
    core::ReportPeriod period;
    core::VisitReport report;
    std::optional<store::PartnerReport> submitted;
    bool submittable = false;  // from the period's last day on, until submitted
    bool late_now = false;     // a submission today would be late
};

struct VisitLog {
    core::FieldErrors errors;
    bool not_found = false;
    Id id = 0;
    bool ok() const { return errors.empty() && !not_found; }
};

class PartnerScreens {
  public:
    explicit PartnerScreens(BookingService& booking)
        : booking_(booking), admin_(booking, nullptr) {}

    // The organisation's local day now.
    core::LocalDay today(Id org) { return admin_.today(org); }
    // The site's local day now.
    core::LocalDay today_at(const store::PartnerSite& site) const;
    // The reporting period kind of the partner's newest convention (month without one).
    core::PeriodKind period_kind(Id org, Id partner);

    std::optional<PartnerHome> home(Id org, Id partner);
    // The partner's sites that are not archived.
    std::vector<store::PartnerSite> sites(Id org, Id partner);
    // The certificate's fields while the label holds (nullopt otherwise); `date` formatted
    // by the caller from `signed_on`.
    struct Certificate {
        text::CertificateFields fields;
        core::LocalDay signed_on = 0;
    };
    std::optional<Certificate> certificate(Id org, Id partner, const std::string& org_name);

    // Form: site (required when the partner has more than one site), day (YYYY-MM-DD, the
    // site's today when empty; not in the future, not in a period already reported) and the
    // Annexe 2 answers (core::parse_visit). One transaction; nothing written when refused.
    VisitLog log_visit(Id org, Id partner, std::optional<Id> account, const core::VisitForm& form);
    std::vector<store::PartnerVisit> visits(Id org, Id partner, const core::ReportPeriod& p);
    // Deletes a mistaken visit: only on the day it is of (the site's today), and while its
    // period is not reported. False otherwise (or not this partner's).
    bool delete_visit(Id org, Id partner, Id visit);

    // The report of a period of the partner's kind, not after the current one; nullopt for a
    // label of the other kind or a future period.
    std::optional<ReportView> report(Id org, Id partner, const std::string& label);
    // Submits the report (comment up to 2000 characters): errors "period" when not yet
    // submittable or already submitted. late is computed on the organisation's day.
    VisitLog submit_report(Id org, Id partner, std::optional<Id> account, const std::string& label,
                           const std::string& comment);

  private:
    BookingService& booking_;
    PartnerAdmin admin_;
};

}  // namespace vg::app
