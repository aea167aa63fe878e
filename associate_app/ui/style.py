"""The console's look in one stylesheet: calm colours, large enough type for a counter PC, clear focus.

Views style their own details with object names; colours that carry meaning (overdue, offline) live here.
"""

from __future__ import annotations

PRIMARY = "#2563eb"
DANGER = "#dc2626"
OK = "#16a34a"
MUTED = "#6b7280"

STYLE = f"""
QMainWindow, QDialog {{ background: #f5f7fa; }}
QWidget {{ font-size: 14px; }}
#topBar {{ background: #ffffff; border-bottom: 1px solid #e5e7eb; }}
#appTitle {{ font-size: 16px; font-weight: 600; color: #111827; padding-right: 12px; }}
#navigation {{ background: #ffffff; border: none; border-right: 1px solid #e5e7eb; padding-top: 8px;
               outline: 0; }}
#navigation::item {{ padding: 10px 16px; color: #374151; border-left: 3px solid transparent; }}
#navigation::item:selected {{ background: #eff6ff; color: {PRIMARY}; border-left: 3px solid {PRIMARY};
                              font-weight: 600; }}
#backButton {{ border: none; color: {PRIMARY}; padding: 4px 0; background: transparent; }}
#userMenu {{ padding: 6px 10px; border: 1px solid #e5e7eb; border-radius: 6px; background: #ffffff; }}
QStatusBar {{ background: #ffffff; border-top: 1px solid #e5e7eb; }}
QTableView, QListView, QTreeView {{ background: #ffffff; border: 1px solid #e5e7eb;
                                    selection-background-color: #dbeafe; selection-color: #111827; }}
QHeaderView::section {{ background: #f9fafb; border: none; border-bottom: 1px solid #e5e7eb;
                        padding: 6px; font-weight: 600; color: #374151; }}
QLineEdit, QComboBox, QDateEdit, QPlainTextEdit, QSpinBox {{ background: #ffffff; border: 1px solid #d1d5db;
                                                  border-radius: 6px; padding: 5px 8px; }}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {PRIMARY}; }}
QPushButton {{ background: #ffffff; border: 1px solid #d1d5db; border-radius: 6px; padding: 6px 14px; }}
QPushButton:hover {{ border-color: {PRIMARY}; }}
QPushButton:default, QPushButton[primary="true"] {{ background: {PRIMARY}; color: #ffffff; border-color: {PRIMARY}; }}
QPushButton:disabled {{ color: #9ca3af; background: #f3f4f6; }}
"""
