<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutogradPanel</name>
    <message>
        <source>Autograd</source>
        <translation>自动求导</translation>
    </message>
    <message>
        <source>A live graph of the grad_fn chain behind any tensor.</source>
        <translation>实时显示任意张量背后的 grad_fn 计算图。</translation>
    </message>
</context>
</TS>
