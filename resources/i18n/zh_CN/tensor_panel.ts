<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TensorPanel</name>
    <message>
        <source>Interrupt</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>Stop the running cell (Ctrl+C in the console)</source>
        <translation>停止正在运行的单元（在控制台中按 Ctrl+C）</translation>
    </message>
    <message>
        <source>A cell is still running: interrupt it first.</source>
        <translation>仍有单元在运行：请先中断它。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>A cell is still running: it was interrupted, close again.</source>
        <translation>仍有单元在运行：已将其中断，请再次关闭。</translation>
    </message>
</context>
</TS>
