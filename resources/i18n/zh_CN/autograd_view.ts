<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutogradView</name>
    <message>
        <source>{} nodes</source>
        <translation>{} 个节点</translation>
    </message>
</context>
</TS>
