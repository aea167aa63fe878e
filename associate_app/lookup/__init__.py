"""Member lookup: one entry box for phone, last 4 digits, card, member code, name and pinyin."""
