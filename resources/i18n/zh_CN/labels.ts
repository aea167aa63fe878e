<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Errors</name>
    <message>
        <source>That could not be done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please check what you typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a mobile number: 11 digits starting with 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That date is not possible here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is too long: 2,000 characters at most.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such member in this store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No member has this card number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This tag does not exist (any more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This task does not exist (any more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such staff member in this store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not use this tag group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This tag is set by HQ automatically and cannot be changed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ has retired this tag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is nothing of yours to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The task cannot move to that status.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This task is closed: nothing more can be recorded on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This phone number already belongs to a member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This member code is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This member code has expired: ask for a fresh one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database could not be written. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database is busy. Nothing was changed: try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full. Nothing was changed: free some space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database was written by a newer version: update the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account cannot use the store console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store code, staff number or password is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many failed sign-ins: wait a few minutes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ cannot be reached: working offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ&apos;s certificate is not trusted: tell IT. Nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ asks you to sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ refused this account on this store: sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ needs a newer version of this app: tell IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ is busy: trying again shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ had a problem: trying again shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ&apos;s answer could not be read: trying again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ refused the request: tell IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database could not be written: see the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full: sync is paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database is busy: trying again shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync stopped on an unexpected error: see the log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <source>Advisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regular</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Black gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quasi-member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dormant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WeChat chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0-6 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6-12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-3 years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3-6 years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 years and older</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
