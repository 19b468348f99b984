// The XLSX writer of the statistics' export (issue 14): one sheet, a header row, then the
// lines export_cells gives, typed (times as dates, numbers as numbers, the rest as strings,
// which a spreadsheet never reads as formulas). libxlsxwriter in constant_memory mode: each
// row goes to a temporary file as soon as the next one starts, so memory stays flat however
// many lines; finish() gives the file's bytes.
#pragma once

#include <string>
#include <vector>

#include "stats/export.hpp"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace vg::stats {

class XlsxWriter {
  public:
    explicit XlsxWriter(const std::vector<std::string>& columns);
    ~XlsxWriter();
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    // The next line; its cells in the columns' order.
    void add(const std::vector<Cell>& cells);
    // Closes the workbook and returns the file's bytes (throws std::runtime_error when
    // libxlsxwriter fails). Once.
    std::string finish();

  private:
    std::string tmpdir_;  // libxlsxwriter's temporary files (kept for the workbook's life)
    std::string path_;
    lxw_workbook* workbook_ = nullptr;
    lxw_worksheet* sheet_ = nullptr;
    lxw_format* header_ = nullptr;
    lxw_format* time_ = nullptr;
    lxw_format* decimal_ = nullptr;
    unsigned row_ = 0;
};

}  // namespace vg::stats
