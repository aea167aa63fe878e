<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Rejections</name>
    <message>
      <source>A later change made at HQ or on another device won.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Check the member; change it again if needed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ retired this tag, so it was not applied.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Choose another tag.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Your role may not use this tag group.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ask an advisor or the store manager.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This tag is set by HQ automatically.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing to do.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ no longer has this tag.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ cancelled this task, so the result was not recorded.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The task had expired, so the result was not recorded.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The task was already finished.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This task or member was assigned to someone else.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ask the store manager.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This member is no longer a target of the task.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ changed this field meanwhile; your correction waits for HQ's review.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing to do: HQ will decide.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This phone number already belonged to a member; the new entry was merged into them.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ does not know this member (removed, or its enrolment never reached HQ).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Look the member up again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This member or task now belongs to another store.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The person who made this change has not signed in on this computer.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Have them sign in here, then send it again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This role may not make this change.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The task could not move to that status.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Only HQ can make this change.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ already has a different record with this id.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Report it to IT.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HQ did not accept this change.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Report it to IT if it matters.</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
