// The XLSX writer of the statistics' export (issue 14): one sheet, a header row, then the
// lines export_cells gives, typed (times as dates, numbers as numbers, the rest as strings,
// which a spreadsheet never reads as formulas). libxlsxwriter in constant_memory mode: each
// row goes to a temporary file as soon as the next one starts, so memory stays flat however
// many lines; finish_file() gives the workbook's file (unlinked: it goes with its descriptor)
// to copy out piece by piece, finish() its bytes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/export.hpp"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace vg::stats {

// A finished workbook's file, open for reading and already unlinked.
class XlsxFile {
  public:
    explicit XlsxFile(int fd) : fd_(fd) {}
    ~XlsxFile();
    XlsxFile(XlsxFile&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    XlsxFile(const XlsxFile&) = delete;
    XlsxFile& operator=(const XlsxFile&) = delete;
    XlsxFile& operator=(XlsxFile&&) = delete;

    // Its bytes from the start, 64 KiB at a time, to out; stops early when out returns false.
    // Throws std::runtime_error on a read error.
    void copy_to(const std::function<bool(std::string_view)>& out) const;
    std::string bytes() const;

  private:
    int fd_ = -1;
};

class XlsxWriter {
  public:
    explicit XlsxWriter(const std::vector<std::string>& columns);
    ~XlsxWriter();
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    // The next line; its cells in the columns' order.
    void add(const std::vector<Cell>& cells);
    // Closes the workbook and returns its file, unlinked (throws std::runtime_error when
    // libxlsxwriter fails). Once, or finish() once.
    XlsxFile finish_file();
    // The same, as bytes in memory (small workbooks).
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
