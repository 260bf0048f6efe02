<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LessonsPanel</name>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>The four parts of the blitz as guided, runnable steps.</source>
        <translation>教程的四个部分，分步引导，可直接运行。</translation>
    </message>
</context>
</TS>
