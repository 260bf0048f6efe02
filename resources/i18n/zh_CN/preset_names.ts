<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PresetNames</name>
    <message>
        <source>Blitz part 3 Net (1×32×32, 61,706 params)</source>
        <translation>Blitz 第 3 部分的 Net（1×32×32，61,706 个参数）</translation>
    </message>
    <message>
        <source>Blitz part 4 CIFAR Net (3×32×32, 62,006 params)</source>
        <translation>Blitz 第 4 部分的 CIFAR Net（3×32×32，62,006 个参数）</translation>
    </message>
    <message>
        <source>Wider CIFAR Net (16 and 32 filters)</source>
        <translation>加宽的 CIFAR Net（16 和 32 个卷积核）</translation>
    </message>
    <message>
        <source>CIFAR Net with batch norm and dropout</source>
        <translation>带批归一化和 Dropout 的 CIFAR Net</translation>
    </message>
</context>
</TS>
