<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PlaceholderPanel</name>
    <message>
        <source>This panel is not built yet.</source>
        <translation>此面板尚未完成。</translation>
    </message>
</context>
</TS>
