<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BuilderPanel</name>
    <message>
        <source>Network builder</source>
        <translation>网络构建器</translation>
    </message>
    <message>
        <source>Build the blitz Net layer by layer with live shape checks.</source>
        <translation>逐层搭建教程中的 Net，实时检查形状。</translation>
    </message>
</context>
</TS>
