<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>ExportButton</name>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Export to CSV…</source>
      <translation>导出为 CSV…</translation>
    </message>
    <message>
      <source>Export to Excel…</source>
      <translation>导出为 Excel…</translation>
    </message>
    <message>
      <source>CSV file (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <source>Exported {0} rows to {1}</source>
      <translation>已导出 {0} 行到 {1}</translation>
    </message>
    <message>
      <source>Not exported</source>
      <translation>未能导出</translation>
    </message>
    <message>
      <source>{0} could not be saved: {1}</source>
      <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
      <source>the disk is full. Free some space or choose another drive.</source>
      <translation>磁盘已满。请清理空间，或换一个磁盘保存。</translation>
    </message>
    <message>
      <source>this folder cannot be written to (read-only, or no permission). Choose another folder.</source>
      <translation>该文件夹无法写入（只读或没有权限）。请换一个文件夹。</translation>
    </message>
    <message>
      <source>the folder does not exist. Choose another folder.</source>
      <translation>该文件夹不存在。请换一个文件夹。</translation>
    </message>
    <message>
      <source>the file could not be written. Is it open in Excel? Close it, or choose another name.</source>
      <translation>文件无法写入。是否正在 Excel 中打开？请先关闭，或换一个文件名。</translation>
    </message>
  </context>
</TS>
